using Damon.Records.Model;

namespace Damon.Records.Reports;

/// <summary>
/// damo's record filters (<c>--sz_region</c>, <c>--access_rate</c>, <c>--age</c>,
/// <c>--address</c>, <c>--sz_snapshot</c>, <c>--snapshot_time</c>, <c>--snapshot_idx</c>,
/// <c>--temperature</c>), applied in damo's order. Regions outside the ranges are dropped and
/// regions crossing an address range are clipped to it; snapshots outside the snapshot ranges
/// are dropped.
/// </summary>
public sealed class RecordFilter
{
    public (long Min, long Max) SzRegion { get; set; } = (0, long.MaxValue);
    public (double Min, double Max) AccessRatePercent { get; set; } = (0, double.MaxValue);
    public (double Min, double Max) AgeUs { get; set; } = (0, double.MaxValue);
    public IReadOnlyList<(long Start, long End)>? AddressRanges { get; set; }
    /// <summary>Total snapshot sizes (bytes) to keep.</summary>
    public IReadOnlyList<(long Min, long Max)>? SnapshotSzRanges { get; set; }
    /// <summary>Absolute [start, end] times (ns) a kept snapshot must lie within.</summary>
    public IReadOnlyList<(long Start, long End)>? SnapshotTimeRanges { get; set; }
    public IReadOnlyList<(long Start, long End)>? SnapshotIndexRanges { get; set; }
    public IReadOnlyList<(double Min, double Max)>? TemperatureRanges { get; set; }
    public IReadOnlyList<double> TemperatureWeights { get; set; } = [0, 100, 100];

    /// <summary>Applies the filters in place, after resolving region units from the record intervals.</summary>
    public void Apply(IReadOnlyList<DamonRecord> records)
    {
        foreach (var record in records)
        {
            foreach (var snapshot in record.Snapshots)
            {
                var kept = new List<DamonRegion>(snapshot.Regions.Count);
                foreach (var region in snapshot.Regions)
                {
                    region.Resolve(record.Intervals);
                    if (Matches(region, record.Intervals)) kept.Add(region);
                }
                // Like damo, dropping regions by access pattern keeps the recorded total size.
                snapshot.Regions = kept;
                if (AddressRanges is { } ranges)
                {
                    snapshot.Regions = ClipToRanges(snapshot.Regions, ranges);
                    snapshot.TotalBytes = null;
                }
            }
            if (SnapshotSzRanges is { } szRanges)
                record.Snapshots = record.Snapshots.Where(s => szRanges.Any(r => r.Min <= s.TotalSz && s.TotalSz <= r.Max)).ToList();
            if (SnapshotTimeRanges is { } timeRanges)
                record.Snapshots = record.Snapshots
                    .Where(s => timeRanges.Any(r => s.StartTime >= Text.PyNum.Int(r.Start) && s.EndTimeNs <= r.End)).ToList();
            if (SnapshotIndexRanges is { } indexRanges)
                record.Snapshots = record.Snapshots.Where((_, i) => indexRanges.Any(r => r.Start <= i && i <= r.End)).ToList();
            if (TemperatureRanges is { } temperatureRanges)
            {
                foreach (var snapshot in record.Snapshots)
                {
                    snapshot.Regions = snapshot.Regions.Where(region =>
                    {
                        double t = AccessMetrics.Temperature(region, TemperatureWeights);
                        return temperatureRanges.Any(r => r.Min <= t && t <= r.Max);
                    }).ToList();
                    snapshot.TotalBytes = null;
                }
            }
        }
    }

    private bool Matches(DamonRegion region, DamonIntervals? intervals)
    {
        if (region.Sz < SzRegion.Min || SzRegion.Max < region.Sz) return false;
        if (intervals is null) return true;
        double percent = region.NrAccessesPercent ?? 0;
        if (percent < AccessRatePercent.Min || AccessRatePercent.Max < percent) return false;
        double age = region.AgeUsec ?? 0;
        return !(age < AgeUs.Min || AgeUs.Max < age);
    }

    private static List<DamonRegion> ClipToRanges(List<DamonRegion> regions, IReadOnlyList<(long Start, long End)> ranges)
    {
        var clipped = new List<DamonRegion>();
        foreach (var region in regions)
        {
            foreach (var (start, end) in ranges)
            {
                if (region.End <= start || end <= region.Start) continue;
                var copy = region.Clone();
                copy.Start = Math.Max(start, region.Start);
                copy.End = Math.Min(end, region.End);
                clipped.Add(copy);
            }
        }
        return clipped;
    }
}
