using Damon.Host.Metrics;
using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Host.Sim;

/// <summary>The simulated machine's nodes and migration counters, and a process's pages per node.</summary>
internal static class SimNodeMetrics
{
    public static NodeMetrics Of(SimMachine m)
    {
        var list = new List<NodeUsage>(m.NrNodes);
        for (int n = 0; n < m.NrNodes; n++)
        {
            ulong inPages = 0, outPages = 0;
            for (int o = 0; o < m.NrNodes; o++)
            {
                if (o == n) continue;
                inPages += m.MigratedPages(o, n);
                outPages += m.MigratedPages(n, o);
            }
            list.Add(new NodeUsage(n, m.Spec.Nodes[n].Tier, m.NodeTotalBytes(n), m.NodeUsedBytes(n), m.NodeFreeBytes(n),
                m.NodeActiveBytes(n), inPages << PageSizes.PageShift, outPages << PageSizes.PageShift));
        }
        return new NodeMetrics(list, m.NrPromotedPages << PageSizes.PageShift, m.NrDemotedPages << PageSizes.PageShift,
            m.NrReclaimedPages << PageSizes.PageShift);
    }

    /// <summary>Walks the process's mappings page by page (numastat -p).</summary>
    public static ProcessNodeUsage Of(SimMachine m, SimProcess p)
    {
        var pages = new ulong[m.NrNodes];
        foreach (var vma in p.Vmas)
        {
            for (ulong addr = vma.Start; addr < vma.End; addr += PageSizes.PageSize)
            {
                if (m.TryTranslate(p.Pid, addr, out uint frame))
                    pages[m.NodeOfFrame(frame)]++;
            }
        }
        return new ProcessNodeUsage(p.Pid, p.Name, pages);
    }
}
