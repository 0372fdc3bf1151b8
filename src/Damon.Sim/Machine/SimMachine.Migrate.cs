using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    /// <summary>
    /// Move a folio to <paramref name="dst"/> (migrate_pages): allocate there, copy the page state
    /// and reverse map, repoint the owner's PTEs, free the old frames. A THP that finds no free
    /// 2 MiB block is split and moved as base pages, as Linux does. Returns the pages moved (0 if
    /// <paramref name="dst"/> is full or already holds the folio); the cost (<see cref="MigrationCostSpec"/>)
    /// is for the caller to charge, and the copy loads both nodes' bandwidth. <paramref name="by"/> is
    /// who asked, for <see cref="Migrated"/>.
    /// </summary>
    public uint MigrateFolio(uint frame, int dst, out ulong costNs, object? by = null)
    {
        costNs = 0;
        uint head = Frames.FolioHead(frame);
        int src = NodeOfFrame(head);
        if (src == dst || dst < 0 || dst >= NrNodes)
            return 0;
        uint nr = Frames.FolioNrPages(head);
        uint newHead;
        if (nr > 1)
        {
            if (!_nodes[dst].TryAllocHuge(out newHead))
            {
                SplitThp(head);
                uint moved = 0;
                for (uint i = 0; i < nr; i++)
                {
                    moved += MigrateFolio(head + i, dst, out ulong c, by);
                    costNs += c;
                }
                return moved;
            }
        }
        else if (!_nodes[dst].TryAlloc4k(out newHead))
        {
            return 0;
        }
        Frames.EnsureChunk(newHead);
        GroundTruth?.EnsureChunk(newHead);

        var headFlags = Frames.GetFlags(head);
        byte memcg = Frames.MemcgIndex(head);
        for (uint i = 0; i < nr; i++)
        {
            uint o = head + i, n = newHead + i;
            Frames.SetFlags(n, Frames.GetFlags(o));
            Frames.SetMemcg(n, memcg);
            int owner = Frames.OwnerPid(o);
            ulong vpage = Frames.OwnerVpage(o);
            Frames.SetRmap(n, owner, vpage);
            if (owner != 0 && (Frames.GetFlags(o) & PageFlags.Mapped) != 0)
                _procs[owner]!.PageTable.Set(vpage, n + 1);
            GroundTruth?.Move(o, n);
        }
        Frames.NrAllocated[newHead >> FrameTable.ChunkShift] += nr;
        _memcgPages[memcg * NrNodes + dst] += nr;
        if (nr > 1) AccountThp(newHead, +1);
        if ((headFlags & PageFlags.Active) != 0) _nrActive[dst] += nr;
        FreeFolio(head);

        ulong bytes = (ulong)nr << PageSizes.PageShift;
        costNs = Spec.Migration.FolioCostNs(bytes, nr > 1);
        Latency.AddBytes(src, bytes);
        Latency.AddBytes(dst, bytes);
        _migratedPages[src * NrNodes + dst] += nr;
        Migrated?.Invoke(new FolioMigration(newHead, nr, src, dst, by));
        int srcTier = Spec.Nodes[src].Tier, dstTier = Spec.Nodes[dst].Tier;
        if (dstTier < srcTier) NrPromotedPages += nr;
        else if (dstTier > srcTier) NrDemotedPages += nr;
        return nr;
    }

    /// <summary>
    /// split_huge_page: the THP's state is copied to each base page, and the PMD becomes 512 PTEs
    /// (__split_huge_pmd flushes the PMD's TLB entry). The subpages stay mapped where they are.
    /// </summary>
    public void SplitThp(uint head)
    {
        var f = Frames.GetFlags(head);
        if ((f & PageFlags.Thp) == 0)
            return;
        AccountThp(head, -1);
        FlushFolioTlb(head);
        var folioBits = f & PageFlags.FolioBits;
        for (uint i = 0; i < PageSizes.ThpPages; i++)
            Frames.SetFlags(head + i, (Frames.GetFlags(head + i) & ~(PageFlags.Thp | PageFlags.FolioBits)) | folioBits);
    }

    /// <summary>
    /// MADV_COLLAPSE / khugepaged on one 2 MiB-aligned block of an anonymous VMA: copy the present
    /// pages (swapping in the swapped ones) into a new THP on the node most of them sit on, zero
    /// the rest. Returns false if the block cannot be a THP or no 2 MiB block is free. With
    /// <paramref name="maxPtesNone"/>, also if more PTEs than that are none: khugepaged's
    /// max_ptes_none (MADV_COLLAPSE does not check it), so that a block the underused shrinker
    /// split is not collapsed back into the same bloat.
    /// </summary>
    public bool CollapseBlock(int pid, ulong blockAddr, out ulong costNs, uint? maxPtesNone = null)
    {
        costNs = 0;
        var p = Process(pid);
        ulong block = blockAddr >> PageSizes.PageShift;
        var vma = p.FindVma(blockAddr);
        if (vma is null || !vma.IsAnon || blockAddr % PageSizes.ThpSize != 0 || blockAddr + PageSizes.ThpSize > vma.End)
            return false;
        var pt = p.PageTable;
        uint first = pt.Get(block);
        if (first != 0 && first < PageTable.SwapBit && (Frames.GetFlags(first - 1) & PageFlags.Thp) != 0)
            return true;
        Span<int> perNode = stackalloc int[NrNodes];
        bool any = false;
        uint nrNone = 0;
        for (uint i = 0; i < PageSizes.ThpPages; i++)
        {
            uint e = pt.Get(block + i);
            if (e == 0) nrNone++;
            else if (e < PageTable.SwapBit) { perNode[NodeOfFrame(e - 1)]++; any = true; }
        }
        if (!any || nrNone > maxPtesNone)
            return false;
        int nid = 0;
        for (int n = 1; n < NrNodes; n++) if (perNode[n] > perNode[nid]) nid = n;
        if (!_nodes[nid].TryAllocHuge(out uint newHead))
            return false;
        Frames.EnsureChunk(newHead);
        GroundTruth?.EnsureChunk(newHead);

        var merged = PageFlags.None;
        Span<bool> present = stackalloc bool[(int)PageSizes.ThpPages];
        for (uint i = 0; i < PageSizes.ThpPages; i++)
        {
            uint e = pt.Get(block + i);
            present[(int)i] = e != 0;
            if (e >= PageTable.SwapBit)
            {
                Swap.Free(e & ~PageTable.SwapBit);
                costNs += Spec.Swap.ReadLatencyNs;
            }
            else if (e != 0)
            {
                uint old = e - 1;
                merged |= Frames.GetFlags(old) & (PageFlags.Young | PageFlags.Dirty | PageFlags.Active);
                GroundTruth?.Move(old, newHead + i);
                pt.Set(block + i, 0);
                FreeFolio(old);
            }
        }
        MapNewFolio(p, block, newHead, PageSizes.ThpPages, anon: true);
        // The subpages that were present were touched (a fault mapped them); the zero-filled rest is the bloat.
        for (uint i = 0; i < PageSizes.ThpPages; i++)
        {
            if (!present[(int)i]) continue;
            Frames.SetFlags(newHead + i, Frames.GetFlags(newHead + i) | PageFlags.Touched);
            NrThpUntouchedPages--;
        }
        NrThpCollapses++;
        Frames.SetFlags(newHead, Frames.GetFlags(newHead) | (merged & (PageFlags.Young | PageFlags.Dirty)));
        if ((merged & PageFlags.Active) != 0) SetActive(newHead, true);
        costNs += Spec.Migration.FolioCostNs(PageSizes.ThpSize, thp: true);
        return true;
    }
}
