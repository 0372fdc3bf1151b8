using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Churn;
using Damon.Sim.Workloads.Gups;

namespace Damon.Tiering.Scenarios;

/// <summary>
/// The hot set a workload declares, as address ranges of its process: GUPS's hot slice per thread
/// (shifted past its end by the moved fraction once the move is due) and churn's hot units now.
/// Other workloads declare none (a zipfian key space has no hot range: popularity is spread).
/// </summary>
public static class HotSet
{
    /// <summary>(pid, start, end) ranges, or null when <paramref name="w"/> declares no hot set.</summary>
    public static IReadOnlyList<(int Pid, ulong Start, ulong End)>? Of(IWorkload w, ulong nowNs)
    {
        switch (w)
        {
            case GupsWorkload g when g.Pid >= 0:
            {
                var list = new List<(int, ulong, ulong)>();
                for (int t = 0; t < g.Options.Threads.NrThreads; t++)
                {
                    var (s, e) = g.HotRange(t);
                    // GUPS moves at thread time after its warm-up; simulated time is the bound used here.
                    if (g.Options.MoveAtNs != 0 && nowNs >= g.Options.MoveAtNs)
                    {
                        var (_, movedEnd) = g.MovedRange(t);
                        s += movedEnd - e;
                        e = movedEnd;
                    }
                    list.Add((g.Pid, s, e));
                }
                return list;
            }
            case ChurnWorkload c when c.Pid >= 0:
                return c.HotUnits.Order().Select(u => (c.Pid, c.Start + u * c.Options.UnitBytes, c.Start + (u + 1) * c.Options.UnitBytes)).ToList();
            default:
                return null;
        }
    }
}
