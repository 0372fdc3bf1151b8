using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Sim.Machine;

/// <summary>
/// The machine's physical memory map as /proc/iomem and the node spans would show it: one System
/// RAM resource per node, as the machine leaves a hole between nodes. So "the biggest System RAM"
/// (TIER, STAT) is the biggest node, and "all System RAMs" (RECLAIM, LRU_SORT, damo's default
/// paddr region) runs from node 0's first byte to the last node's last.
/// </summary>
public static class SimMemoryLayout
{
    public static StaticMemoryLayout Of(SimMachine m)
    {
        var nodes = Enumerable.Range(0, m.NrNodes).ToDictionary(n => n, n =>
        {
            var (start, end) = m.NodePhysRange(n);
            return new AddrRange(start, end);
        });
        return new StaticMemoryLayout([.. nodes.Values.OrderBy(r => r.Start)], nodes);
    }
}
