using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Gups;

namespace Damon.Host.Sim;

/// <summary>
/// What the simulator knows to be hot, for workloads that define it, so a reader can check what
/// DAMON found against the truth.
/// </summary>
public static class SimWorkloadHints
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
}
