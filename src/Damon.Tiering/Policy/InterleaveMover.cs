using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Tiering.Policy;

/// <summary>
/// Re-interleaves the application's pages to a weight split, the way a user-space tuner (damo's
/// auto_tier proposal) does it with move_pages(2): each folio goes to the node its interleave index
/// picks, at most <see cref="BudgetBytes"/> per call, resuming where the last call stopped.
/// </summary>
public sealed class InterleaveMover(int[] nodes)
{
    private int _resumeIdx;

    /// <summary>Bytes one call may move.</summary>
    public ulong BudgetBytes { get; init; } = 64UL << 20;

    /// <summary>Move folios toward <paramref name="weights"/>; returns pages moved. <paramref name="migrate"/> moves one folio and returns its pages.</summary>
    public ulong Step(SimMachine m, uint[] weights, Func<uint, int, uint> migrate)
    {
        ulong movedPages = 0, budgetPages = BudgetBytes >> PageSizes.PageShift;
        var folios = AppFolios.All(m).ToList();
        if (folios.Count == 0) return 0;
        int start = _resumeIdx % folios.Count;
        for (int k = 0; k < folios.Count && movedPages < budgetPages; k++)
        {
            var f = folios[(start + k) % folios.Count];
            int dst = AppFolios.InterleaveNode(f, nodes, weights);
            if (m.NodeOfFrame(f.Head) == dst) continue;
            movedPages += migrate(f.Head, dst);
            _resumeIdx = start + k + 1;
        }
        return movedPages;
    }
}
