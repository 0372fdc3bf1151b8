using System.Text;
using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// What <c>report heatmap --guide</c> prints and what the heatmap uses for its default ranges:
/// per monitoring target, the recorded time span and the address ranges that stayed monitored
/// (gaps present in every snapshot split the space), with the access heat each range received.
/// </summary>
public sealed class HeatmapGuide
{
    public int? KdamondIdx { get; init; }
    public int? ContextIdx { get; init; }
    public int? SchemeIdx { get; init; }
    public ulong? TargetId { get; init; }
    public PyNum StartTimeNs { get; init; }
    public long EndTimeNs { get; set; }
    public List<GuideRegion> ContigRegions { get; } = [];

    internal long? LowestAddr;
    internal long? HighestAddr;
    internal List<(long Start, long End)> Gaps = [];

    public sealed class GuideRegion(long startAddr, long endAddr)
    {
        public long StartAddr { get; } = startAddr;
        public long EndAddr { get; } = endAddr;
        /// <summary>Sum of size x nr_accesses over accessed regions touching this range; null if none.</summary>
        public double? Heats { get; set; }
        public double HeatPerByte => Heats is double h ? h / (EndAddr - StartAddr) : 0;
    }

    public bool Matches(DamonRecord record) =>
        record.KdamondIdx == KdamondIdx && record.ContextIdx == ContextIdx && record.SchemeIdx == SchemeIdx && record.TargetId == TargetId;

    private List<(long Start, long End)> Ranges()
    {
        var ranges = new List<(long, long)>();
        long start = LowestAddr ?? 0;
        foreach (var (gapStart, gapEnd) in Gaps)
        {
            ranges.Add((start, gapStart));
            start = gapEnd;
        }
        ranges.Add((start, HighestAddr ?? 0));
        return ranges;
    }

    private long TotalSpace() => Ranges().Sum(r => r.Item2 - r.Item1);

    /// <summary>Guides for every target, the one covering the most address space first.</summary>
    public static List<HeatmapGuide> Build(IReadOnlyList<DamonRecord> records) => Build(RecordSource.Of(records));

    /// <summary>Two passes over the records: the spans and ranges (<see cref="ReadSpans"/>), then the heats of the ranges.</summary>
    public static List<HeatmapGuide> Build(RecordSource source)
    {
        var spans = ReadSpansOrWhole(ref source);
        foreach (var e in source.Events())
            if (e.Kind == RecordEventKind.Snapshot && spans.GuideOf[e.RecordIndex] is { } guide)
                guide.AddHeats(e.Snapshot!);
        return spans.Ordered();
    }

    /// <summary>What a first pass over a record keeps: the guides with their ranges (no heats yet) and every record's header.</summary>
    internal sealed class Spans(List<HeatmapGuide> guides, List<DamonRecord> headers)
    {
        /// <summary>In the order the records introduced them.</summary>
        public List<HeatmapGuide> Guides { get; } = guides;
        /// <summary>Each record's header (the fields but the snapshots), by record index.</summary>
        public List<DamonRecord> Headers { get; } = headers;
        /// <summary>The guide of each record by index; null for a record without snapshots.</summary>
        public HeatmapGuide?[] GuideOf { get; } = [.. headers.Select(h => guides.Find(g => g.Matches(h)))];

        public List<HeatmapGuide> Ordered() => [.. Guides.OrderByDescending(g => g.TotalSpace())];
    }

    /// <summary>
    /// <see cref="ReadSpans"/>, or, for a record whose identity or intervals follow its snapshots in
    /// the file, the same over the record read whole (which then replaces <paramref name="source"/>).
    /// </summary>
    internal static Spans ReadSpansOrWhole(ref RecordSource source)
    {
        if (ReadSpans(source) is { } spans) return spans;
        source = RecordSource.Of(source.ToRecords());
        return ReadSpans(source)!;
    }

    /// <summary>
    /// One pass: per target the time span, the address extremes and the gaps every snapshot shares.
    /// Null when a record's complete header differs from the one its snapshots were read under.
    /// </summary>
    internal static Spans? ReadSpans(RecordSource source)
    {
        var guides = new List<HeatmapGuide>();
        var headers = new List<DamonRecord>();
        DamonRecord? record = null;
        HeatmapGuide? guide = null;
        foreach (var e in source.Events())
        {
            switch (e.Kind)
            {
                case RecordEventKind.Start:
                    record = e.Record!;
                    guide = null;
                    break;
                case RecordEventKind.Snapshot:
                    guide ??= guides.Find(g => g.Matches(record!)) ?? NewGuide(guides, record!, e.Snapshot!);
                    guide.AddSpan(e.Snapshot!);
                    break;
                case RecordEventKind.End:
                    if (!SameIdentity(record!, e.Record!)) return null;
                    headers.Add(e.Record!);
                    break;
            }
        }
        foreach (var g in guides) g.SetRanges();
        return new Spans(guides, headers);
    }

    private static bool SameIdentity(DamonRecord a, DamonRecord b) =>
        a.KdamondIdx == b.KdamondIdx && a.ContextIdx == b.ContextIdx && a.SchemeIdx == b.SchemeIdx && a.TargetId == b.TargetId
        && Equals(a.Intervals, b.Intervals);

    private static HeatmapGuide NewGuide(List<HeatmapGuide> guides, DamonRecord record, DamonSnapshot first)
    {
        var guide = new HeatmapGuide
        {
            KdamondIdx = record.KdamondIdx,
            ContextIdx = record.ContextIdx,
            SchemeIdx = record.SchemeIdx,
            TargetId = record.TargetId,
            StartTimeNs = OldestMonitorTime(first, record.Intervals),
        };
        guides.Add(guide);
        return guide;
    }

    private void AddSpan(DamonSnapshot snapshot)
    {
        EndTimeNs = snapshot.EndTimeNs;
        // damo treats address 0 like "not set yet"; kept so guides match damo's.
        long? lastAddr = null;
        var gaps = new List<(long, long)>();
        foreach (var r in snapshot.Regions)
        {
            if (LowestAddr is null or 0 || r.Start < LowestAddr) LowestAddr = r.Start;
            if (HighestAddr is null or 0 || r.End > HighestAddr) HighestAddr = r.End;
            if (lastAddr is null or 0)
            {
                lastAddr = r.End;
                continue;
            }
            if (lastAddr != r.Start) gaps.Add((lastAddr.Value, r.Start));
            lastAddr = r.End;
        }
        Gaps = Gaps.Count == 0 ? gaps : Overlapping(Gaps, gaps);
    }

    /// <summary>The ranges sorted for <see cref="AddHeats"/>, and those it checks one by one.</summary>
    private List<GuideRegion> _ordered = [], _inverted = [];

    private void SetRanges()
    {
        foreach (var (start, end) in Ranges()) ContigRegions.Add(new GuideRegion(start, end));
        // Each range sums on its own, so the ranges can be visited in any order: address order
        // lets a region start at the first range that can touch it (linear in the record, not
        // regions x ranges). damo's address-0 quirk can leave the first range inverted; such
        // ranges, and any overlapping set, are checked one by one.
        _inverted = ContigRegions.Where(g => g.StartAddr > g.EndAddr).ToList();
        _ordered = ContigRegions.Where(g => g.StartAddr <= g.EndAddr).OrderBy(g => g.StartAddr).ToList();
        if (!IsSortedDisjoint(_ordered.Count, i => (_ordered[i].StartAddr, _ordered[i].EndAddr)))
        {
            _inverted.AddRange(_ordered);
            _ordered.Clear();
        }
    }

    /// <summary>Adds one snapshot of this target to the heats of the ranges its accessed regions touch.</summary>
    internal void AddHeats(DamonSnapshot snapshot)
    {
        var ordered = _ordered;
        foreach (var region in snapshot.Regions)
        {
            if ((region.NrAccessesSamples ?? 0) == 0) continue;
            double heat = (double)region.Sz * (region.NrAccessesSamples ?? 0);
            for (int i = FirstEndingAtOrAfter(ordered.Count, i => ordered[i].EndAddr, region.Start); i < ordered.Count; i++)
            {
                var g = ordered[i];
                if (region.End < g.StartAddr) break;
                g.Heats = (g.Heats ?? 0) + heat;
            }
            foreach (var g in _inverted)
            {
                if (region.End < g.StartAddr || g.EndAddr < region.Start) continue;
                g.Heats = (g.Heats ?? 0) + heat;
            }
        }
    }

    private static PyNum OldestMonitorTime(DamonSnapshot snapshot, DamonIntervals? intervals)
    {
        if (intervals is null) return snapshot.StartTime;
        long longestAge = 0;
        foreach (var r in snapshot.Regions)
            if (r.AgeAggrIntervals is long age && age > longestAge) longestAge = age;
        return snapshot.StartTime - Heatmap.AgeNs(longestAge, intervals.EffectiveAggrUs);
    }

    /// <summary>Narrows each known gap by the new snapshot's gaps that touch it (damo keeps every known gap).</summary>
    private static List<(long, long)> Overlapping(List<(long Start, long End)> known, List<(long Start, long End)> fresh)
    {
        var result = new List<(long, long)>(known.Count);
        bool sorted = IsSortedDisjoint(fresh.Count, i => fresh[i]);
        foreach (var k in known)
        {
            var r1 = k;
            // With sorted, disjoint fresh gaps the ones ending before k cannot touch it, and once one
            // starts after the (narrowed) gap none later can: the same result without gaps x gaps work.
            int first = sorted ? FirstEndingAtOrAfter(fresh.Count, i => fresh[i].End, k.Start) : 0;
            for (int i = first; i < fresh.Count; i++)
            {
                var r2 = fresh[i];
                if (sorted && r1.End < r2.Start) break;
                if (r1.End < r2.Start || r2.End < r1.Start) continue;
                r1 = (Math.Max(r1.Start, r2.Start), Math.Min(r1.End, r2.End));
            }
            result.Add(r1);
        }
        return result;
    }

    /// <summary>Ranges in address order, each non-inverted and ending at or before the next starts.</summary>
    private static bool IsSortedDisjoint(int count, Func<int, (long Start, long End)> at)
    {
        for (int i = 0; i < count; i++)
        {
            var (start, end) = at(i);
            if (start > end) return false;
            if (i + 1 < count && end > at(i + 1).Start) return false;
        }
        return true;
    }

    /// <summary>Index of the first range whose end is at or after <paramref name="addr"/> (ends ascend).</summary>
    private static int FirstEndingAtOrAfter(int count, Func<int, long> endAt, long addr)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (endAt(mid) < addr) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public string ToText(bool raw)
    {
        var lines = new List<string>();
        if (KdamondIdx is int kd) lines.Add($"kdamond_idx: {kd}");
        if (ContextIdx is int ctx) lines.Add($"context_idx: {ctx}");
        if (SchemeIdx is int scheme) lines.Add($"scheme_idx: {scheme}");
        if (TargetId is ulong tid) lines.Add($"target_id: {tid}");
        lines.Add($"time: [{DamoFormat.TimeNs(StartTimeNs, raw)}, {DamoFormat.TimeNs(EndTimeNs, raw)}) ({DamoFormat.TimeNs(EndTimeNs - StartTimeNs, raw)})");
        for (int i = 0; i < ContigRegions.Count; i++)
        {
            var g = ContigRegions[i];
            lines.Add($"region\t{i,2}: [{DamoFormat.SzAccurate(g.StartAddr, raw)}, {DamoFormat.SzAccurate(g.EndAddr, raw)}) ({DamoFormat.Sz(g.EndAddr - g.StartAddr, raw)})");
        }
        return string.Join("\n", lines);
    }

    public static string Render(IReadOnlyList<DamonRecord> records, bool raw) => Render(RecordSource.Of(records), raw);

    public static string Render(RecordSource records, bool raw)
    {
        var sb = new StringBuilder();
        foreach (var guide in Build(records)) sb.Append(guide.ToText(raw)).Append('\n');
        return sb.ToString();
    }
}
