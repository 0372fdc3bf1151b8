using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Harness;

namespace Damon.Tiering.Policy;

/// <summary>A present folio of the application: its VMA, its first virtual address, its head frame.</summary>
public readonly record struct AppFolio(SimProcess Process, Vma Vma, ulong Addr, uint Head, uint NrPages);

/// <summary>
/// Walks of the application's anonymous mappings (every process but the harness's cold pre-fill),
/// folio by folio in address order, for the policies that place pages by address (interleaving).
/// </summary>
public static class AppFolios
{
    public static IEnumerable<AppFolio> All(SimMachine m)
    {
        foreach (var p in m.Processes)
        {
            if (p.Name == PrefilledWorkload.ProcessName) continue;
            foreach (var v in p.Vmas.ToList())
            {
                if (!v.IsAnon) continue;
                for (ulong a = v.Start; a < v.End; a += PageSizes.PageSize)
                {
                    uint e = p.PageTable.Get(a >> PageSizes.PageShift);
                    if (e == 0 || e >= PageTable.SwapBit) continue;
                    uint head = m.Frames.FolioHead(e - 1);
                    uint nr = m.Frames.FolioNrPages(head);
                    ulong folioAddr = m.Frames.OwnerVpage(head) << PageSizes.PageShift;
                    yield return new AppFolio(p, v, folioAddr, head, nr);
                    if (nr > 1) a = Math.Max(a, folioAddr + ((ulong)nr << PageSizes.PageShift) - PageSizes.PageSize);
                }
            }
        }
    }

    /// <summary>
    /// The node weighted interleaving gives a folio: the interleave index from the VMA's page
    /// offset and the address, as weighted_interleave_nid and damos_va_migrate_dests_add compute it.
    /// </summary>
    public static int InterleaveNode(AppFolio f, int[] nodes, uint[] weights)
    {
        int order = f.NrPages > 1 ? PageSizes.ThpOrder : 0;
        ulong ilx = (f.Vma.Pgoff >> order) + ((f.Addr - f.Vma.Start) >> (PageSizes.PageShift + order));
        return SimMachine.WeightedPick(nodes, weights, ilx);
    }
}
