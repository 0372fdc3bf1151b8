using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Gups;

namespace Damon.Cli.Simulation;

/// <summary>
/// What the simulator knows to be hot, for workloads that define it, so a reader can check what
/// DAMON found against the truth.
/// </summary>
internal static class WorkloadHints
{
    public static IReadOnlyList<(ulong Start, ulong End)> HotRanges(IWorkload workload)
    {
        if (workload is GupsWorkload gups)
        {
            var ranges = new List<(ulong, ulong)>();
            for (int t = 0; t < gups.Options.Threads.NrThreads; t++)
                ranges.Add(gups.HotRange(t));
            return ranges;
        }
        return [];
    }

    /// <summary>Whether at least half of [start, end) lies in one of <paramref name="hot"/>.</summary>
    public static bool MostlyIn(ulong start, ulong end, IReadOnlyList<(ulong Start, ulong End)> hot)
    {
        ulong inside = 0;
        foreach (var (s, e) in hot)
        {
            ulong lo = Math.Max(s, start), hi = Math.Min(e, end);
            if (hi > lo) inside += hi - lo;
        }
        return inside * 2 >= end - start && end > start;
    }
}
