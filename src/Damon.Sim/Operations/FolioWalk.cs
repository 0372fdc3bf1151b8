using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Sim.Operations;

/// <summary>One present folio a <see cref="FolioWalk"/> found: its VMA, the address of its first page, its head frame and size.</summary>
internal readonly record struct MappedFolio(Vma Vma, ulong Addr, uint Head, uint NrPages);

/// <summary>
/// The present folios mapped in [start, end) of a process, each once, in address order (the
/// walk_page_range of damos_va_migrate / damos_va_stat): a struct enumerator, so an apply walks
/// without a closure, a delegate or a list of VMAs.
/// </summary>
internal struct FolioWalk(SimMachine machine, SimProcess p, ulong start, ulong end)
{
    private int _vmaIdx = -1;
    private Vma? _vma;
    private ulong _addr, _vmaEnd;

    public MappedFolio Current { get; private set; }

    public readonly FolioWalk GetEnumerator() => this;

    public bool MoveNext()
    {
        var pt = p.PageTable;
        var frames = machine.Frames;
        while (true)
        {
            if (_vma is null || _addr >= _vmaEnd)
            {
                if (!NextVma())
                    return false;
                continue;
            }
            ulong a = _addr;
            ulong vp = a >> PageSizes.PageShift;
            var leaf = pt.Leaf(vp >> PageTable.LeafShift);
            if (leaf is null)
            {
                _addr = Math.Min(_vmaEnd, ((vp >> PageTable.LeafShift) + 1) << (PageTable.LeafShift + PageSizes.PageShift));
                continue;
            }
            _addr = a + PageSizes.PageSize;
            uint pte = leaf[vp & (PageTable.LeafSize - 1)];
            if (pte == 0 || pte >= PageTable.SwapBit)
                continue;
            uint head = frames.FolioHead(pte - 1);
            uint nr = frames.FolioNrPages(head);
            ulong folioAddr = frames.OwnerVpage(head) << PageSizes.PageShift;
            if (nr > 1)
                _addr = Math.Max(a, folioAddr + PageSizes.ThpSize - PageSizes.PageSize) + PageSizes.PageSize;
            Current = new MappedFolio(_vma, folioAddr, head, nr);
            return true;
        }
    }

    /// <summary>The next non-empty VMA that overlaps [start, end), as SimProcess.VmasIn lists them.</summary>
    private bool NextVma()
    {
        var vmas = p.Vmas;
        while (++_vmaIdx < vmas.Count)
        {
            var v = vmas[_vmaIdx];
            if (v.Start < end && start < v.End && v.End > v.Start)
            {
                _vma = v;
                _vmaEnd = Math.Min(end, v.End);
                _addr = Math.Max(start, v.Start) & ~(PageSizes.PageSize - 1);
                return true;
            }
        }
        return false;
    }
}
