using Damon.Core.Monitoring;

namespace Damon.Modules.Shared;

/// <summary>
/// The one set of monitoring attributes of a shared context, from the attributes each module
/// would run with alone. Rule: no module gets a coarser view than it asked for — the shortest
/// sampling and aggregation intervals, the shortest non-zero ops update interval, the largest
/// region bounds. Interval auto-tuning runs only when every module asks for it (a module with
/// fixed intervals built its thresholds, e.g. min_age / aggr_interval, on them), toward the
/// smallest access_bp asked for (the finest resolution), every fewest aggregations, with sampling
/// kept within the tightest bounds ([smallest min, smallest max]).
/// </summary>
public static class SharedAttrs
{
    public static MonitoringAttrs Union(IReadOnlyList<MonitoringAttrs> attrs)
    {
        if (attrs.Count == 0)
            throw new ArgumentException("needs at least one module's attributes", nameof(attrs));
        var nonZeroUpdates = attrs.Select(a => a.OpsUpdateIntervalUs).Where(u => u != 0).ToList();
        var goals = attrs.Select(a => a.IntervalsGoal).ToList();
        var goal = goals.All(g => g.Aggrs != 0)
            ? new IntervalsGoal(goals.Min(g => g.AccessBp), goals.Min(g => g.Aggrs), goals.Min(g => g.MinSampleUs), goals.Min(g => g.MaxSampleUs))
            : default;
        return new MonitoringAttrs
        {
            SampleIntervalUs = attrs.Min(a => a.SampleIntervalUs),
            AggrIntervalUs = attrs.Min(a => a.AggrIntervalUs),
            OpsUpdateIntervalUs = nonZeroUpdates.Count == 0 ? 0 : nonZeroUpdates.Min(),
            MinNrRegions = attrs.Max(a => a.MinNrRegions),
            MaxNrRegions = attrs.Max(a => a.MaxNrRegions),
            IntervalsGoal = goal,
        };
    }

    /// <summary>
    /// The region bounds for the union: damon_region_sz_limit is total size / min_nr_regions, so a
    /// module over <c>S</c> bytes of a <c>U</c>-byte union needs min_nr_regions <c>min × U / S</c>
    /// of the shared context (rounded up; the largest need of any module) to keep its own size
    /// limit, capped at max_nr_regions (a module whose scaled need is above the cap gets coarser
    /// regions than alone). max_nr_regions stays the largest any module asks for: scaled the
    /// same way it would keep each module's region density too, but the engine samples every
    /// region every interval, and the bench's shared context then cost more than four separate
    /// kdamonds (docs/results/damon-x.md).
    /// </summary>
    public static (ulong MinNrRegions, ulong MaxNrRegions) RegionBounds(IReadOnlyList<(MonitoringAttrs Attrs, ulong RangeBytes)> modules, ulong unionBytes)
    {
        static ulong Scaled(ulong nr, ulong rangeBytes, ulong unionBytes) =>
            rangeBytes == 0 ? nr : (ulong)Math.Ceiling((double)nr * unionBytes / rangeBytes);
        ulong min = modules.Max(m => Scaled(m.Attrs.MinNrRegions, m.RangeBytes, unionBytes));
        ulong max = modules.Max(m => m.Attrs.MaxNrRegions);
        return (Math.Min(min, max), max);
    }

    /// <summary>
    /// The union's ranges cut at every module's range boundary: pieces each wholly inside or
    /// outside every module's range, in address order.
    /// </summary>
    public static IReadOnlyList<AddrRange> Pieces(IReadOnlyList<AddrRange> union, IEnumerable<IReadOnlyList<AddrRange>> moduleRanges)
    {
        var cuts = moduleRanges.SelectMany(rs => rs.SelectMany(r => new[] { r.Start, r.End })).Distinct().Order().ToList();
        var pieces = new List<AddrRange>();
        foreach (var u in union)
        {
            ulong start = u.Start;
            foreach (ulong c in cuts)
            {
                if (c <= start || c >= u.End)
                    continue;
                pieces.Add(new AddrRange(start, c));
                start = c;
            }
            pieces.Add(new AddrRange(start, u.End));
        }
        return pieces;
    }

    /// <summary>Sorted, overlapping and touching ranges joined: the shared target's regions.</summary>
    public static IReadOnlyList<AddrRange> UnionRanges(IEnumerable<AddrRange> ranges)
    {
        var merged = new List<AddrRange>();
        foreach (var r in ranges.Where(r => r.End > r.Start).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, r.End) };
            else
                merged.Add(r);
        }
        return merged;
    }
}
