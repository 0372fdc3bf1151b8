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
