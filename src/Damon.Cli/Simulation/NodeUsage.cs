using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Cli.Simulation;

/// <summary>A node's memory at the end of a run, with the pages that moved in and out of it.</summary>
internal sealed record NodeUsage(int Node, int Tier, ulong TotalBytes, ulong UsedBytes, ulong FreeBytes, ulong ActiveBytes,
    ulong MigratedInBytes, ulong MigratedOutBytes)
{
    public static List<NodeUsage> Of(SimMachine m)
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
        return list;
    }
}
