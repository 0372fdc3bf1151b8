using Damon.Records.Model;

namespace Damon.Records.Transforms;

/// <summary>
/// <c>damo adjust</c>: drops the first snapshots, then merges runs of consecutive snapshots into
/// one per (at least) the new aggregation interval. Where regions of merged snapshots overlap,
/// each existing region gains the largest nr_accesses among the regions overlapping it; parts
/// not covered yet are added as new regions. The region order is damo's (existing regions first,
/// new pieces appended), which the raw report shows.
/// </summary>
public static class RecordAdjuster
{
    /// <summary>Returns adjusted copies; the input records are left untouched.</summary>
    public static List<DamonRecord> Adjust(IReadOnlyList<DamonRecord> records, long aggregateIntervalUs, int nrSnapshotsToSkip)
    {
        if (aggregateIntervalUs < 0) throw new ArgumentOutOfRangeException(nameof(aggregateIntervalUs), "must not be negative");
        if (nrSnapshotsToSkip < 0) throw new ArgumentOutOfRangeException(nameof(nrSnapshotsToSkip), "must not be negative");
        var adjusted = new List<DamonRecord>(records.Count);
        foreach (var source in records)
        {
            var record = source.Clone();
            if (record.Intervals is { } iv)
                record.Intervals = iv with { AggrUs = aggregateIntervalUs };
            record.Snapshots = AdjustSnapshots(record.Snapshots.Skip(nrSnapshotsToSkip).ToList(), aggregateIntervalUs);
            adjusted.Add(record);
        }
        return adjusted;
    }

    private static List<DamonSnapshot> AdjustSnapshots(List<DamonSnapshot> snapshots, long aggregateIntervalUs)
    {
        var adjusted = new List<DamonSnapshot>();
        var grouper = new SnapshotGrouper(aggregateIntervalUs);
        foreach (var snapshot in snapshots)
            if (grouper.Add(snapshot) is { } aggregated) adjusted.Add(aggregated);
        return adjusted;
    }

    /// <summary>
    /// Merges consecutive snapshots one at a time, holding only the current group: what a report
    /// reading a record as a stream adjusts with.
    /// </summary>
    public sealed class SnapshotGrouper(long aggregateIntervalUs)
    {
        private readonly List<DamonSnapshot> _group = [];

        /// <returns>the aggregated snapshot when <paramref name="snapshot"/> completes an interval, else null</returns>
        public DamonSnapshot? Add(DamonSnapshot snapshot)
        {
            _group.Add(snapshot);
            long intervalNs = _group[^1].EndTimeNs - _group[0].StartTimeNs;
            if (intervalNs < aggregateIntervalUs * 1000) return null;
            var aggregated = Aggregate(_group);
            _group.Clear();
            return aggregated;
        }

        /// <summary>Starts the next record; a trailing group shorter than the interval is dropped, as damo does.</summary>
        public void Reset() => _group.Clear();
    }

    /// <summary>Aggregates snapshots: a region 1-10 with 5 accesses followed by 1-5:2 and 5-10:4 becomes 1-10:9.</summary>
    public static DamonSnapshot Aggregate(IReadOnlyList<DamonSnapshot> snapshots)
    {
        // One snapshot of regions in address order overlaps nothing: every region is appended as
        // is. Taking that directly keeps report wss (a group per snapshot by default) linear
        // instead of comparing each region with every earlier one.
        if (snapshots.Count == 1 && InAddressOrder(snapshots[0].Regions))
            return new DamonSnapshot(snapshots[0].StartTimeNs, snapshots[0].EndTimeNs, snapshots[0].Regions.ConvertAll(r => r.Clone()));
        var merged = new List<DamonRegion>();
        foreach (var snapshot in snapshots)
        {
            var toAdd = new Dictionary<DamonRegion, long>(ReferenceEqualityComparer.Instance);
            var order = new List<DamonRegion>();
            foreach (var region in snapshot.Regions)
                AddRegion(merged, region.Clone(), toAdd, order);
            foreach (var region in order)
            {
                region.NrAccessesSamples = (region.NrAccessesSamples ?? 0) + toAdd[region];
                region.NrAccessesPercent = null;
            }
        }
        // damo sums the maxima of overlapping pieces; a breakdown has no such sum (the maximum of
        // two regions' counts need not be one region's keys), so aggregated snapshots carry none.
        foreach (var region in merged)
            region.AccessesBy = null;
        return new DamonSnapshot(snapshots[0].StartTimeNs, snapshots[^1].EndTimeNs, merged);
    }

    private static bool InAddressOrder(List<DamonRegion> regions)
    {
        for (int i = 0; i < regions.Count; i++)
        {
            // An empty region overlaps nothing in AddRegion's test either, but keep the rule simple.
            if (regions[i].Start >= regions[i].End) return false;
            if (i + 1 < regions.Count && regions[i].End > regions[i + 1].Start) return false;
        }
        return true;
    }

    private static void AddRegion(List<DamonRegion> regions, DamonRegion region, Dictionary<DamonRegion, long> toAdd, List<DamonRegion> order)
    {
        foreach (var r in regions)
        {
            if (r.End <= region.Start || region.End <= r.Start) continue;
            if (!toAdd.TryGetValue(r, out var current))
            {
                current = 0;
                order.Add(r);
            }
            toAdd[r] = Math.Max(current, region.NrAccessesSamples ?? 0);

            var pieces = new List<DamonRegion>(2);
            if (region.Start < r.Start) pieces.Add(Piece(region, region.Start, r.Start));
            if (r.End < region.End) pieces.Add(Piece(region, r.End, region.End));
            foreach (var piece in pieces) AddRegion(regions, piece, toAdd, order);
            return;
        }
        regions.Add(region);
    }

    private static DamonRegion Piece(DamonRegion region, long start, long end)
    {
        long? passed = null;
        if (region.SzFilterPassed is long p)
            passed = region.Sz == 0 ? 0 : (long)((double)p / region.Sz * (end - start));
        return new DamonRegion(start, end, region.NrAccessesSamples, region.AgeAggrIntervals, passed);
    }
}
