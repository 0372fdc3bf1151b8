using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Writes records in the layout damo's own writer produces (<c>json.dumps(indent=4)</c> of its
/// raw key/value pairs): integers that damo formats with <c>'%d'</c> are JSON strings, the
/// nr_accesses samples and indices are JSON numbers, and every key damo's reader looks up is
/// present, null when unknown. damo therefore reads our files, and we read damo's.
/// </summary>
public static class JsonRecordWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static byte[] Serialize(IReadOnlyList<DamonRecord> records)
    {
        using var buffer = new MemoryStream();
        Write(records, buffer);
        return buffer.ToArray();
    }

    /// <summary>How much JSON is buffered before it goes to the stream.</summary>
    internal const int FlushEveryBytes = 1 << 20;

    public static void Write(IReadOnlyList<DamonRecord> records, Stream output) =>
        Write(records.Select(r => (r, (IEnumerable<DamonSnapshot>)r.Snapshots)), output);

    /// <summary>
    /// Writes records whose snapshots are produced while writing (<see cref="RecordJournal"/>
    /// reads them flush by flush), so a record never has to be in memory whole. The snapshots of
    /// <paramref name="records"/>' headers are ignored; the bytes equal those of the list overload.
    /// </summary>
    internal static void Write(IEnumerable<(DamonRecord Header, IEnumerable<DamonSnapshot> Snapshots)> records, Stream output,
        bool indented = true) =>
        Write(records.Select(r => (r.Header, (Action<Utf8JsonWriter>)(w =>
        {
            foreach (var snapshot in r.Snapshots)
            {
                WriteSnapshot(w, snapshot);
                FlushIfFull(w);
            }
        }))), output, indented);

    /// <summary>
    /// Writes records whose snapshot lists are written by <c>WriteSnapshots</c>: the values of
    /// the "snapshots" array, in this writer's layout (<see cref="RecordJournal.Finish"/> copies
    /// them token by token from the journal, calling <see cref="FlushIfFull"/> after each).
    /// </summary>
    internal static void Write(IEnumerable<(DamonRecord Header, Action<Utf8JsonWriter> WriteSnapshots)> records, Stream output,
        bool indented = true)
    {
        var options = new JsonWriterOptions
        {
            Indented = indented,
            IndentSize = 4,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using var w = new Utf8JsonWriter(output, options);
        w.WriteStartArray();
        foreach (var (header, writeSnapshots) in records) WriteRecord(w, header, writeSnapshots);
        w.WriteEndArray();
        w.Flush();
    }

    /// <summary>
    /// Utf8JsonWriter buffers until flushed, and its buffer cannot pass 2 GiB: a record of a
    /// million snapshots (zero intervals) would end in OutOfMemoryException at the save.
    /// </summary>
    internal static void FlushIfFull(Utf8JsonWriter w)
    {
        if (w.BytesPending >= FlushEveryBytes)
            w.Flush();
    }

    private static void WriteRecord(Utf8JsonWriter w, DamonRecord record, Action<Utf8JsonWriter> writeSnapshots)
    {
        w.WriteStartObject();
        WriteNullableNumber(w, "kdamond_idx", record.KdamondIdx);
        WriteNullableNumber(w, "context_idx", record.ContextIdx);
        if (record.Intervals is { } iv)
        {
            w.WriteStartObject("intervals");
            w.WriteString("sample_us", D(iv.SampleUs));
            w.WriteString("aggr_us", D(iv.AggrUs));
            w.WriteString("ops_update_us", D(iv.OpsUpdateUs));
            w.WriteStartObject("intervals_goal");
            w.WriteString("access_bp", iv.Goal.AccessBp.ToString("F6", Inv));
            w.WriteString("aggrs", D(iv.Goal.Aggrs));
            w.WriteString("min_sample_us", D(iv.Goal.MinSampleUs));
            w.WriteString("max_sample_us", D(iv.Goal.MaxSampleUs));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
            w.WriteNull("intervals");
        WriteNullableNumber(w, "scheme_idx", record.SchemeIdx);
        if (record.TargetId is ulong tid) w.WriteNumber("target_id", tid);
        else w.WriteNull("target_id");
        w.WriteStartArray("scheme_filters");
        foreach (var filter in record.SchemeFilters) WriteFilter(w, filter);
        w.WriteEndArray();
        w.WriteStartArray("snapshots");
        writeSnapshots(w);
        w.WriteEndArray();
        w.WriteString("data_source", record.DataSource);
        // Damon's extension keys (docs/records.md): damo reads only the keys it knows.
        if (record.CpuToNode is { } nodes)
        {
            w.WriteStartObject("cpu_to_node");
            foreach (var (cpu, node) in nodes) w.WriteNumber(D(cpu), node);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteFilter(Utf8JsonWriter w, DamosFilter f)
    {
        w.WriteStartObject();
        w.WriteString("filter_type", f.FilterType);
        w.WriteBoolean("matching", f.Matching);
        w.WriteBoolean("allow", f.Allow);
        if (f.MemcgPath is null) w.WriteNull("memcg_path");
        else w.WriteString("memcg_path", f.MemcgPath);
        if (f.AddressStart is ulong s && f.AddressEnd is ulong e)
        {
            w.WriteStartObject("address_range");
            w.WriteString("start", D(s));
            w.WriteString("end", D(e));
            w.WriteEndObject();
        }
        else
            w.WriteNull("address_range");
        if (f.DamonTargetIdx is long idx) w.WriteString("damon_target_idx", D(idx));
        else w.WriteNull("damon_target_idx");
        if (f.HugepageMinSz is ulong min && f.HugepageMaxSz is ulong max)
        {
            w.WriteStartArray("hugepage_size");
            w.WriteStringValue(D(min));
            w.WriteStringValue(D(max));
            w.WriteEndArray();
        }
        else
            w.WriteNull("hugepage_size");
        w.WriteEndObject();
    }

    private static void WriteSnapshot(Utf8JsonWriter w, DamonSnapshot snapshot)
    {
        w.WriteStartObject();
        w.WriteString("start_time", D(snapshot.StartTimeNs));
        w.WriteString("end_time", D(snapshot.EndTimeNs));
        w.WriteStartArray("regions");
        foreach (var region in snapshot.Regions) WriteRegion(w, region);
        w.WriteEndArray();
        w.WriteString("total_bytes", D(snapshot.TotalSz));
        if (snapshot.DamosStats is { } stats)
        {
            w.WriteStartObject("damos_stats");
            w.WriteString("nr_tried", D(stats.NrTried));
            w.WriteString("sz_tried", D(stats.SzTried));
            w.WriteString("nr_applied", D(stats.NrApplied));
            w.WriteString("sz_applied", D(stats.SzApplied));
            w.WriteString("sz_ops_filter_passed", D(stats.SzOpsFilterPassed));
            w.WriteString("qt_exceeds", D(stats.QtExceeds));
            w.WriteString("nr_snapshots", D(stats.NrSnapshots));
            w.WriteString("max_nr_snapshots", D(stats.MaxNrSnapshots));
            w.WriteEndObject();
        }
        else
            w.WriteNull("damos_stats");
        if (snapshot.SampleIntervalUs is long si) w.WriteString("sample_interval_us", D(si));
        else w.WriteNull("sample_interval_us");
        w.WriteEndObject();
    }

    private static void WriteRegion(Utf8JsonWriter w, DamonRegion r)
    {
        w.WriteStartObject();
        w.WriteString("start", D(r.Start));
        w.WriteString("end", D(r.End));
        w.WriteStartObject("nr_accesses");
        if (r.NrAccessesSamples is long samples) w.WriteNumber("samples", samples);
        else w.WriteNull("samples");
        if (r.NrAccessesPercent is double percent) w.WriteNumber("percent", percent);
        else w.WriteNull("percent");
        w.WriteEndObject();
        w.WriteStartObject("age");
        if (r.AgeUsec is double usec) w.WriteString("usec", D((long)usec));
        else w.WriteNull("usec");
        if (r.AgeAggrIntervals is long aggrs) w.WriteString("aggr_intervals", D(aggrs));
        else w.WriteNull("aggr_intervals");
        w.WriteEndObject();
        w.WriteStartArray("probe_hits");
        foreach (var hit in r.ProbeHits) w.WriteNumberValue(hit);
        w.WriteEndArray();
        w.WriteString("sz_filter_passed", D(r.SzFilterPassed ?? 0));
        if (r.AccessesBy is { } by)
        {
            w.WriteStartObject("accesses_by");
            WriteCounts(w, "cpu", by.Cpus);
            WriteCounts(w, "tid", by.Tids);
            w.WriteNumber("write", by.Writes);
            w.WriteNumber("read", by.Reads);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, SortedDictionary<int, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts) w.WriteNumber(D(key), count);
        w.WriteEndObject();
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string D(long value) => value.ToString(Inv);

    private static string D(ulong value) => value.ToString(Inv);
}
