using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Oracle;

/// <summary>Moves pages so a given set sits on the fast node (as far as it fits), for free.</summary>
internal static class PlacementEnforcer
{
    /// <summary>
    /// <paramref name="exact"/>: every other page leaves the fast node; otherwise other pages leave
    /// only to make room for the set.
    /// </summary>
    public static void Enforce(SimMachine m, TierNodes nodes, HashSet<ulong> fastSet, bool exact)
    {
        var others = FramePages.MappedFolios(m, nodes.Fast).Where(h => !fastSet.Contains(FramePages.PageKey(m, h))).ToList();
        int next = 0;
        if (exact)
            for (; next < others.Count; next++) m.MigrateFolio(others[next], nodes.Slow, out _);
        foreach (ulong key in fastSet)
        {
            var p = m.TryGetProcess(FramePages.PidOfKey(key));
            uint e = p?.PageTable.Get(FramePages.VpageOfKey(key)) ?? 0;
            if (e == 0 || e >= PageTable.SwapBit || m.NodeOfFrame(e - 1) == nodes.Fast) continue;
            uint need = m.Frames.FolioNrPages(e - 1);
            while (m.Node(nodes.Fast).NrFree < need && next < others.Count)
                m.MigrateFolio(others[next++], nodes.Slow, out _);
            if (m.Node(nodes.Fast).NrFree < need) break;
            m.MigrateFolio(e - 1, nodes.Fast, out _);
        }
    }
}
