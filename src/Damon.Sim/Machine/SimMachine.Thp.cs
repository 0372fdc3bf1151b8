using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

/// <summary>
/// Transparent huge pages beyond the fault path: the counters behind AnonHugePages and the bloat
/// metric, and the two ways to give an underused THP's memory back — split in place (freeing the
/// never-touched subpages, as split_huge_page's remap of zero-filled subpages to the shared
/// zeropage does since 6.12) and Hildenbrand's alternative, copying the used subpages to base pages
/// elsewhere and freeing the whole 2 MiB block. Collapse is <see cref="CollapseBlock"/>.
/// </summary>
public sealed partial class SimMachine
{
    /// <summary>Frames in THP folios (NR_ANON_THPS × HPAGE_PMD_NR): AnonHugePages in pages.</summary>
    public ulong NrThpPages { get; private set; }

    /// <summary>THP subpages never accessed since their folio was mapped (<see cref="PageFlags.Touched"/> clear).</summary>
    public ulong NrThpUntouchedPages { get; private set; }

    /// <summary>Bytes mapped by THPs (AnonHugePages).</summary>
    public ulong ThpBytes => NrThpPages << PageSizes.PageShift;

    /// <summary>
    /// Internal fragmentation: bytes of THP subpages never touched since mapped — memory that base
    /// pages would not have used. Kept as a counter (one test-and-set per THP access, a 512-frame
    /// scan when a THP goes away), so reading it costs nothing.
    /// </summary>
    public ulong ThpBloatBytes => NrThpUntouchedPages << PageSizes.PageShift;

    /// <summary>THPs made by <see cref="CollapseBlock"/>.</summary>
    public ulong NrThpCollapses { get; private set; }
    /// <summary>THPs split in place by <see cref="SplitUnderusedThp"/>.</summary>
    public ulong NrThpSplits { get; private set; }
    /// <summary>THPs whose used subpages <see cref="MoveUsedSubpagesOut"/> moved to base pages.</summary>
    public ulong NrThpMovedOut { get; private set; }

    /// <summary>Add (+1) or remove (-1) a THP folio's 512 frames and its untouched subpages from the counters.</summary>
    private void AccountThp(uint head, int sign)
    {
        ulong untouched = NrUntouched(head);
        if (sign > 0)
        {
            NrThpPages += PageSizes.ThpPages;
            NrThpUntouchedPages += untouched;
        }
        else
        {
            NrThpPages -= PageSizes.ThpPages;
            NrThpUntouchedPages -= untouched;
        }
    }

    /// <summary>Never-touched subpages of the THP headed by <paramref name="head"/> (its zero-filled ones).</summary>
    private uint NrUntouched(uint head)
    {
        uint n = 0;
        for (uint i = 0; i < PageSizes.ThpPages; i++)
            if ((Frames.GetFlags(head + i) & PageFlags.Touched) == 0) n++;
        return n;
    }

    /// <summary>
    /// thp_underused: more than <paramref name="maxPtesNone"/> (khugepaged/max_ptes_none) of the
    /// subpages are zero-filled, here never touched; null asks nothing (every THP qualifies).
    /// </summary>
    private bool Underused(uint head, uint? maxPtesNone) => maxPtesNone is not { } max || NrUntouched(head) > max;

    /// <summary>
    /// Split the THP of <paramref name="frame"/> into 512 PTE-mapped base pages and free the
    /// never-touched ones (their PTEs go back to none, so a later touch faults in a fresh zeroed
    /// page: the shared zeropage's effect). The touched subpages stay in the block, which can no
    /// longer be a THP until all of them are freed. With <paramref name="maxPtesNone"/>, only an
    /// underused THP is split (the deferred-split shrinker's test, 6.12). Returns the pages freed.
    /// </summary>
    public uint SplitUnderusedThp(uint frame, out ulong costNs, uint? maxPtesNone = null)
    {
        costNs = 0;
        uint head = Frames.FolioHead(frame);
        if ((Frames.GetFlags(head) & PageFlags.Thp) == 0 || _procs[Frames.OwnerPid(head)] is not { } p || !Underused(head, maxPtesNone))
            return 0;
        ulong vhead = Frames.OwnerVpage(head);
        SplitThp(head);
        NrThpSplits++;
        uint freed = 0;
        for (uint i = 0; i < PageSizes.ThpPages; i++)
        {
            if ((Frames.GetFlags(head + i) & PageFlags.Touched) != 0)
                continue;
            p.PageTable.Set(vhead + i, 0);
            FreeFolio(head + i);
            freed++;
        }
        // The split (PMD → page table) and one shootdown; freeing touches no data.
        costNs = Spec.Migration.FixedNsPerFolio + Spec.Migration.TlbShootdownNs;
        return freed;
    }

    /// <summary>
    /// Hildenbrand's alternative to splitting: copy the THP's touched subpages to base pages on the
    /// same node, unmap the untouched ones, and free the whole 2 MiB block, which stays available
    /// for a later THP or collapse. Needs as many free base pages on the node as there are touched
    /// subpages; otherwise the THP is split in place instead. <paramref name="maxPtesNone"/> as for
    /// <see cref="SplitUnderusedThp"/>. Returns the pages freed (net).
    /// </summary>
    public uint MoveUsedSubpagesOut(uint frame, out ulong costNs, uint? maxPtesNone = null)
    {
        costNs = 0;
        uint head = Frames.FolioHead(frame);
        if ((Frames.GetFlags(head) & PageFlags.Thp) == 0 || _procs[Frames.OwnerPid(head)] is not { } p || !Underused(head, maxPtesNone))
            return 0;
        int nid = NodeOfFrame(head);
        uint touched = PageSizes.ThpPages - NrUntouched(head);
        if (_nodes[nid].NrFree < touched)
            return SplitUnderusedThp(head, out costNs);

        var headFlags = Frames.GetFlags(head);
        var folioBits = headFlags & PageFlags.FolioBits;
        byte memcg = Frames.MemcgIndex(head);
        ulong vhead = Frames.OwnerVpage(head);
        for (uint i = 0; i < PageSizes.ThpPages; i++)
        {
            uint o = head + i;
            var f = Frames.GetFlags(o);
            if ((f & PageFlags.Touched) == 0)
            {
                p.PageTable.Set(vhead + i, 0);
                continue;
            }
            TryTake(nid, huge: false, out uint n);
            Frames.SetFlags(n, (f & ~(PageFlags.Thp | PageFlags.FolioBits)) | folioBits);
            Frames.SetMemcg(n, memcg);
            Frames.SetRmap(n, p.Pid, vhead + i);
            p.PageTable.Set(vhead + i, n + 1);
            GroundTruth?.Move(o, n);
            Frames.NrAllocated[n >> FrameTable.ChunkShift]++;
            _memcgPages[memcg * NrNodes + nid]++;
            if ((folioBits & PageFlags.Active) != 0) _nrActive[nid]++;
        }
        FreeFolio(head);
        NrThpMovedOut++;
        // One folio's isolation and shootdown, and the copy of the used subpages at base-page bandwidth.
        costNs = Spec.Migration.FolioCostNs((ulong)touched << PageSizes.PageShift, thp: false);
        Latency.AddBytes(nid, 2 * ((ulong)touched << PageSizes.PageShift));
        return PageSizes.ThpPages - touched;
    }
}
