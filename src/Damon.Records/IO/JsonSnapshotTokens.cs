using System.Buffers.Text;
using System.Text.Json;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Reads a snapshot straight from its JSON tokens when it has the shape damo's and Damon's
/// writers produce: integers as JSON numbers or as strings of digits, nulls for what is unknown,
/// no percent, usec age, DAMOS stats or access breakdown. Anything else (and any duplicate key)
/// is <see cref="Outcome.OtherShape"/> and the snapshot is walked as a document by
/// <see cref="JsonRecordReader"/>, which reads every form and words every error; a value read
/// here is the one that walk reads. A long record spends most of its parse here: the tokens are
/// read once, with no document, no decimal and no string per number.
/// </summary>
internal static class JsonSnapshotTokens
{
    public enum Outcome
    {
        Read,
        /// <summary>The buffer ends inside the snapshot: read it again from its start with more.</summary>
        NeedMore,
        /// <summary>Not the writers' shape: walk it as a document.</summary>
        OtherShape,
    }

    /// <summary>Reads the snapshot at the reader's next token; on anything but Read the reader's position means nothing.</summary>
    public static Outcome TryRead(ref Utf8JsonReader reader, out DamonSnapshot snapshot)
    {
        snapshot = null!;
        if (!reader.Read()) return Outcome.NeedMore;
        if (reader.TokenType != JsonTokenType.StartObject) return Outcome.OtherShape;
        long? start = null, end = null, total = null, sampleUs = null;
        bool sawTotal = false, sawSample = false, sawStats = false;
        List<DamonRegion>? regions = null;
        while (true)
        {
            if (!reader.Read()) return Outcome.NeedMore;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.ValueIsEscaped) return Outcome.OtherShape;
            var name = reader.ValueSpan;
            if (!reader.Read()) return Outcome.NeedMore;
            Outcome o;
            if (name.SequenceEqual("start_time"u8))
            {
                if (!TryFirstLong(ref reader, ref start)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("end_time"u8))
            {
                if (!TryFirstLong(ref reader, ref end)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("regions"u8))
            {
                if (regions is not null) return Outcome.OtherShape;
                if ((o = TryRegions(ref reader, out regions)) != Outcome.Read) return o;
            }
            else if (name.SequenceEqual("total_bytes"u8))
            {
                if (!TryFirstNullableLong(ref reader, ref sawTotal, out total)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("sample_interval_us"u8))
            {
                if (!TryFirstNullableLong(ref reader, ref sawSample, out sampleUs)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("damos_stats"u8))
            {
                if (sawStats || reader.TokenType != JsonTokenType.Null) return Outcome.OtherShape;
                sawStats = true;
            }
            else if (!reader.TrySkip()) return Outcome.NeedMore;
        }
        if (start is null || end is null || regions is null) return Outcome.OtherShape;
        snapshot = new DamonSnapshot(start.Value, end.Value, regions) { TotalBytes = total, SampleIntervalUs = sampleUs };
        return Outcome.Read;
    }

    private static Outcome TryRegions(ref Utf8JsonReader reader, out List<DamonRegion> regions)
    {
        regions = [];
        if (reader.TokenType != JsonTokenType.StartArray) return Outcome.OtherShape;
        while (true)
        {
            if (!reader.Read()) return Outcome.NeedMore;
            if (reader.TokenType == JsonTokenType.EndArray) return Outcome.Read;
            var o = TryRegion(ref reader, out var region);
            if (o != Outcome.Read) return o;
            regions.Add(region);
        }
    }

    private static Outcome TryRegion(ref Utf8JsonReader reader, out DamonRegion region)
    {
        region = null!;
        if (reader.TokenType != JsonTokenType.StartObject) return Outcome.OtherShape;
        long? start = null, end = null, samples = null, aggrs = null, passed = null;
        bool sawAccesses = false, sawAge = false, sawPassed = false, sawHits = false, sawBy = false;
        List<long>? hits = null;
        while (true)
        {
            if (!reader.Read()) return Outcome.NeedMore;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.ValueIsEscaped) return Outcome.OtherShape;
            var name = reader.ValueSpan;
            if (!reader.Read()) return Outcome.NeedMore;
            Outcome o;
            if (name.SequenceEqual("start"u8))
            {
                if (!TryFirstLong(ref reader, ref start)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("end"u8))
            {
                if (!TryFirstLong(ref reader, ref end)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("nr_accesses"u8))
            {
                if (sawAccesses) return Outcome.OtherShape;
                if ((o = TryPair(ref reader, "samples"u8, "percent"u8, out samples)) != Outcome.Read) return o;
                sawAccesses = true;
            }
            else if (name.SequenceEqual("age"u8))
            {
                if (sawAge) return Outcome.OtherShape;
                if ((o = TryPair(ref reader, "aggr_intervals"u8, "usec"u8, out aggrs)) != Outcome.Read) return o;
                sawAge = true;
            }
            else if (name.SequenceEqual("sz_filter_passed"u8))
            {
                if (!TryFirstNullableLong(ref reader, ref sawPassed, out passed)) return Outcome.OtherShape;
            }
            else if (name.SequenceEqual("probe_hits"u8))
            {
                if (sawHits) return Outcome.OtherShape;
                sawHits = true;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    // Only a list is read (anything else is ignored, as by the document walk).
                    if (!reader.TrySkip()) return Outcome.NeedMore;
                    continue;
                }
                while (true)
                {
                    if (!reader.Read()) return Outcome.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndArray) break;
                    if (!TryLong(ref reader, out var hit)) return Outcome.OtherShape;
                    (hits ??= []).Add(hit);
                }
            }
            else if (name.SequenceEqual("accesses_by"u8))
            {
                if (sawBy || reader.TokenType != JsonTokenType.Null) return Outcome.OtherShape;
                sawBy = true;
            }
            else if (!reader.TrySkip()) return Outcome.NeedMore;
        }
        if (start is null || end is null) return Outcome.OtherShape;
        // The walk requires "age" beside "nr_accesses" (its error is worded there).
        if (sawAccesses && !sawAge) return Outcome.OtherShape;
        region = new DamonRegion { Start = start.Value, End = end.Value };
        if (!sawAccesses)
        {
            // damo allows address-only regions; they carry no access information at all.
            region.SzFilterPassed = null;
            return Outcome.Read;
        }
        region.NrAccessesSamples = samples;
        region.AgeAggrIntervals = aggrs;
        if (hits is not null) region.ProbeHits = hits;
        region.SzFilterPassed = passed ?? 0;
        return Outcome.Read;
    }

    /// <summary>
    /// null, or an object with the integer key <paramref name="read"/> and the key
    /// <paramref name="mustBeNull"/> null or absent (its other unit, which this reader leaves to the walk).
    /// </summary>
    private static Outcome TryPair(ref Utf8JsonReader reader, ReadOnlySpan<byte> read, ReadOnlySpan<byte> mustBeNull, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return Outcome.Read;
        if (reader.TokenType != JsonTokenType.StartObject) return Outcome.OtherShape;
        bool sawRead = false, sawOther = false;
        while (true)
        {
            if (!reader.Read()) return Outcome.NeedMore;
            if (reader.TokenType == JsonTokenType.EndObject) return Outcome.Read;
            if (reader.ValueIsEscaped) return Outcome.OtherShape;
            bool isRead = reader.ValueSpan.SequenceEqual(read), isOther = !isRead && reader.ValueSpan.SequenceEqual(mustBeNull);
            if (!reader.Read()) return Outcome.NeedMore;
            if (isRead)
            {
                if (!TryFirstNullableLong(ref reader, ref sawRead, out value)) return Outcome.OtherShape;
            }
            else if (isOther)
            {
                if (sawOther || reader.TokenType != JsonTokenType.Null) return Outcome.OtherShape;
                sawOther = true;
            }
            else if (!reader.TrySkip()) return Outcome.NeedMore;
        }
    }

    /// <summary>The key's first value, an integer; a second occurrence is not the writers' shape.</summary>
    private static bool TryFirstLong(ref Utf8JsonReader reader, ref long? slot)
    {
        if (slot is not null || !TryLong(ref reader, out var v)) return false;
        slot = v;
        return true;
    }

    /// <summary>The key's first value, an integer or null; a second occurrence is not the writers' shape.</summary>
    private static bool TryFirstNullableLong(ref Utf8JsonReader reader, ref bool seen, out long? value)
    {
        value = null;
        if (seen || !TryNullableLong(ref reader, out value)) return false;
        seen = true;
        return true;
    }

    private static bool TryNullableLong(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (!TryLong(ref reader, out var v)) return false;
        value = v;
        return true;
    }

    /// <summary>
    /// An integer JSON number, or a string of at most 18 ASCII digits (damo writes '%d' values as
    /// strings): both exactly what the walk's decimal reading yields. Fractions, exponents, signs
    /// in strings and unit suffixes are left to the walk.
    /// </summary>
    private static bool TryLong(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenType == JsonTokenType.Number) return reader.TryGetInt64(out value);
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence) return false;
        var digits = reader.ValueSpan;
        if (digits.Length is 0 or > 18) return false;
        foreach (var b in digits)
            if (b is < (byte)'0' or > (byte)'9') return false;
        return Utf8Parser.TryParse(digits, out value, out int consumed) && consumed == digits.Length;
    }
}
