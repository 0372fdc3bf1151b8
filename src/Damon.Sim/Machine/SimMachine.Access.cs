using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    /// <summary>
    /// Run one batch of a thread's accesses: translate, set young (and dirty), add the access's
    /// latency from the (socket, node) table, count ground truth. Faults take the slow path. The
    /// thread's clock advances by compute time + memory latency + stalls. No allocation or virtual
    /// call per access. With <see cref="MachineSpec.Caches"/> on, the translation goes through the
    /// thread's TLB (a miss costs a page walk and is the only time the accessed bit is set) and the
    /// line through the socket's LLC (a hit costs the hit latency, whatever node holds the page,
    /// and uses no node bandwidth). A walk also sets the PMD and PUD entries' accessed bits when
    /// the process keeps them (<see cref="PageTable.TreeBits"/>).
    /// </summary>
    public void RunBatch(SimThread th, ReadOnlySpan<MemAccess> batch, ulong computeNs)
    {
        var pt = th.Process.PageTable;
        int nrNodes = NrNodes;
        uint[] lat = Latency.Table;
        int latBase = th.Socket * nrNodes * 2;
        byte[] nodeOfChunk = _nodeOfChunk;
        ushort[]?[] flagChunks = Frames.Flags;
        ushort[]?[]? gt = GroundTruth?.ChunksForAccess();
        Span<ulong> perNode = stackalloc ulong[nrNodes];
        Span<ulong> llcHitsPerNode = stackalloc ulong[nrNodes];
        Tlb? tlb = th.Tlb;
        if (th.ClockNs >= th.NextTlbSwitchNs)
            SwitchTlb(th);
        SetAssocTags? llc = _llc?[th.Socket];
        var cache = Spec.Sockets[th.Socket].Cache;
        uint walkNs = cache.PageWalkNs, llcHitNs = cache.LlcHitNs;
        ulong tlbMisses = 0;
        // PEBS counters (SimMachine.Pebs.cs): decremented per event whether PEBS is on or not.
        ref ulong pebs0 = ref MemoryMarshal.GetArrayDataReference(th.PebsLeft);
        int pebsStore = PebsStoreEvent, pebsNone = PebsNoEvent;
        // Upper-level accessed bits exist only under the page-table-tree monitor: one null test per access otherwise.
        PageTableTreeBits? treeBits = pt.TreeBits;
        // The page the previous access translated: the same page again is a TLB hit without a
        // lookup. Anything that can flush mid-batch (the fault paths) forgets it.
        ulong lastPage = ulong.MaxValue;

        ulong leafKey = ulong.MaxValue;
        uint[]? leaf = null;
        ulong memNs = 0, stallNs = 0;
        ref uint latRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(lat), latBase);
        ref ulong perNode0 = ref MemoryMarshal.GetReference(perNode);
        ref ulong llcHits0 = ref MemoryMarshal.GetReference(llcHitsPerNode);
        ref MemAccess acc0 = ref MemoryMarshal.GetReference(batch);
        // Software pipelining over large page tables (more than PrefetchMinLeaves leaves): at
        // access i the loop starts fetching the PTE of access i + PteAhead, reads the PTE of access
        // i + FlagsAhead (fetched PteAhead - FlagsAhead accesses ago), keeps it in `ahead` and
        // starts fetching that frame's flags (ground-truth counter, LLC-model set); access i uses the
        // entry read ahead instead of walking again. Random accesses over a large footprint miss
        // on both the PTE and the flags; this way both misses of successive accesses overlap
        // instead of the flags miss waiting for its PTE. Entries read ahead are used only while
        // the page table is unchanged since they were read (PageTable.Generation: a fault or a
        // migration in the batch writes PTEs), else the access walks as before, so every access
        // sees the PTE a walk would. Small page tables, whose leaves stay in the host's caches,
        // gain nothing and would pay the extra lookups (the flat model's small hot sets).
        int nrAccesses = batch.Length;
        bool pipelined = pt.NrLeaves > PrefetchMinLeaves;
        Span<uint> ahead = stackalloc uint[AheadRing];
        ref uint ahead0 = ref MemoryMarshal.GetReference(ahead);
        ulong gen = pt.Generation;
        // Entries of accesses below this index were read before the page table last changed.
        int trustFrom = 0;
        if (pipelined)
        {
            for (int j = 0; j < PteAhead && j < nrAccesses; j++)
                pt.PrefetchEntry(Unsafe.Add(ref acc0, j).Addr >> PageSizes.PageShift);
            for (int j = 0; j < FlagsAhead && j < nrAccesses; j++)
                Unsafe.Add(ref ahead0, j) = ReadAhead(pt, Unsafe.Add(ref acc0, j).Addr, flagChunks, gt, llc);
        }
        for (int i = 0; i < nrAccesses; i++)
        {
            if (pipelined)
            {
                if (pt.Generation != gen)
                {
                    gen = pt.Generation;
                    trustFrom = i + FlagsAhead;
                }
                if (i + PteAhead < nrAccesses)
                    pt.PrefetchEntry(Unsafe.Add(ref acc0, i + PteAhead).Addr >> PageSizes.PageShift);
                if (i + FlagsAhead < nrAccesses)
                    Unsafe.Add(ref ahead0, (i + FlagsAhead) & (AheadRing - 1)) =
                        ReadAhead(pt, Unsafe.Add(ref acc0, i + FlagsAhead).Addr, flagChunks, gt, llc);
            }
            ref MemAccess acc = ref Unsafe.Add(ref acc0, i);
            ulong addr = acc.Addr;
            int write = acc.Write ? 1 : 0;
            ulong vpage = addr >> PageSizes.PageShift;
            ulong key = vpage >> PageTable.LeafShift;
            uint e;
            if (pipelined && i >= trustFrom)
                e = Unsafe.Add(ref ahead0, i & (AheadRing - 1));
            else
            {
                if (key != leafKey)
                {
                    leaf = pt.Leaf(key);
                    leafKey = key;
                }
                e = leaf is null ? 0 : Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(leaf), (int)(vpage & (PageTable.LeafSize - 1)));
            }
            // 0 (never touched) and swap entries both wrap to >= SwapBit - 1 here.
            if (e - 1 >= PageTable.SwapBit - 1)
            {
                lastPage = ulong.MaxValue;
                stallNs += Fault(th, addr, write != 0, out e);
                leaf = pt.Leaf(key);
                leafKey = key;
            }
            uint frame = e - 1;
            int chunk = (int)(frame >> FrameTable.ChunkShift);
            ref ushort flags0 = ref MemoryMarshal.GetArrayDataReference(flagChunks[chunk]!);
            int idx = (int)(frame & FrameTable.ChunkMask);
            // One branch for the rare cases: a THP (flags on the head), a PROT_NONE hint fault, a DAMON fault.
            if ((Unsafe.Add(ref flags0, idx) & (ushort)(PageFlags.Thp | PageFlags.ProtNone | PageFlags.DamonProt)) != 0)
            {
                if ((Unsafe.Add(ref flags0, idx) & (ushort)PageFlags.Thp) != 0)
                {
                    ref ushort sub = ref Unsafe.Add(ref flags0, idx);
                    if ((sub & (ushort)PageFlags.Touched) == 0)
                    {
                        sub |= (ushort)PageFlags.Touched;
                        NrThpUntouchedPages--;
                    }
                    idx &= ~(int)(PageSizes.ThpPages - 1);
                }
                uint head = (uint)(chunk << FrameTable.ChunkShift) + (uint)idx;
                bool moved = false;
                lastPage = ulong.MaxValue;
                if (ProtNoneRouter is { } router)
                {
                    // One protection for both users: one fault, the router picks the handler.
                    if ((Unsafe.Add(ref flags0, idx) & (ushort)AnyProt) != 0)
                    {
                        stallNs += SharedProtFault(router, th, head, frame, addr, write != 0);
                        moved = true;
                    }
                }
                else
                {
                    // DAMON's fault only reports: the folio stays where it is.
                    if ((Unsafe.Add(ref flags0, idx) & (ushort)PageFlags.DamonProt) != 0)
                        stallNs += DamonFault(th, head, frame, addr, write != 0);
                    if ((Unsafe.Add(ref flags0, idx) & (ushort)PageFlags.ProtNone) != 0)
                    {
                        stallNs += HintFault(th, head, write != 0);
                        moved = true;
                    }
                }
                if (moved)
                {
                    // The handler may have migrated the folio: translate again.
                    leaf = pt.Leaf(key);
                    leafKey = key;
                    e = leaf![(int)(vpage & (PageTable.LeafSize - 1))];
                    frame = e - 1;
                    chunk = (int)(frame >> FrameTable.ChunkShift);
                    flags0 = ref MemoryMarshal.GetArrayDataReference(flagChunks[chunk]!);
                    idx = (int)(frame & FrameTable.ChunkMask);
                    if ((Unsafe.Add(ref flags0, idx) & (ushort)PageFlags.Thp) != 0)
                        idx &= ~(int)(PageSizes.ThpPages - 1);
                }
            }
            int node = nodeOfChunk[chunk];
            uint accessNs = Unsafe.Add(ref latRow, node * 2 + write);
            int young = (int)PageFlags.Young;
            // A load counts on its node's LLC-miss counter, a store on the store counter (all
            // stores). Selected by mask, not branch: reads and writes interleave unpredictably.
            int pebsEv = node ^ ((node ^ pebsStore) & -write);
            if (tlb is not null)
            {
                // The MMU sets the accessed bit while walking only: a translation still in the TLB
                // leaves a bit that DAMON's mkold cleared (without a flush, on x86) clear.
                if (vpage == lastPage || tlb.Access(vpage, (Unsafe.Add(ref flags0, idx) & (ushort)PageFlags.Thp) != 0))
                    young = 0;
                else
                {
                    memNs += walkNs;
                    tlbMisses++;
                }
                lastPage = vpage;
                if (llc!.Access(LlcLine(frame, addr)))
                {
                    accessNs = llcHitNs;
                    Unsafe.Add(ref llcHits0, node)++;
                    // A load the LLC serves is no MEM_LOAD_L3_MISS_RETIRED event.
                    pebsEv = pebsNone ^ ((pebsNone ^ pebsStore) & -write);
                }
            }
            if (--Unsafe.Add(ref pebs0, pebsEv) == 0)
                Unsafe.Add(ref pebs0, pebsEv) = PebsOverflow(th, pebsEv, addr, node);
            // Young (on a walk), plus Dirty for a write, without a branch.
            Unsafe.Add(ref flags0, idx) |= (ushort)(young | (write << 2));
            // The same walk went through the PUD and PMD entries and set their accessed bits too.
            if (treeBits is not null && young != 0)
                treeBits.MarkWalk(vpage);
            memNs += accessNs;
            Unsafe.Add(ref perNode0, node)++;
            if (gt is not null)
            {
                ref ushort c = ref gt[chunk]![frame & FrameTable.ChunkMask];
                if (c != ushort.MaxValue) c++;
            }
        }

        uint accessBytes = Latency.AccessBytes;
        var nodeAccesses = th.NodeAccesses;
        ulong llcHits = 0;
        for (int n = 0; n < nrNodes; n++)
        {
            nodeAccesses[n] += perNode[n];
            llcHits += llcHitsPerNode[n];
            Latency.WindowBytes[n] += (perNode[n] - llcHitsPerNode[n]) * accessBytes;
        }
        th.NrLlcHits += llcHits;
        th.NrTlbMisses += tlbMisses;
        th.NrAccesses += (ulong)batch.Length;
        th.MemoryNs += memNs;
        th.ComputeNs += computeNs;
        th.StallNs += stallNs;
        ulong clockBeforeNs = th.ClockNs;
        th.ClockNs += computeNs + memNs + stallNs;
        PmuSampler?.OnBatch(th, batch, clockBeforeNs);
    }

    // The PTE is fetched PteAhead accesses ahead and read (its frame's flags fetched) FlagsAhead
    // ahead: each miss gets PteAhead - FlagsAhead or FlagsAhead accesses (a few hundred ns at the
    // loop's 10-40 ns per access, GUPS's read-then-write pairs touching a page twice) to arrive.
    private const int PteAhead = 32;
    private const int FlagsAhead = 16;
    // The ring of entries read ahead: a power of two above FlagsAhead.
    private const int AheadRing = 32;

    /// <summary>
    /// The pipelined loop's look-ahead: the PTE of <paramref name="addr"/>'s page, and for a
    /// present page a hint to fetch its frame's flags, ground-truth counter and LLC set. Reads only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadAhead(PageTable pt, ulong addr, ushort[]?[] flagChunks, ushort[]?[]? gt, SetAssocTags? llc)
    {
        uint e = pt.Get(addr >> PageSizes.PageShift);
        if (e - 1 < PageTable.SwapBit - 1)
        {
            uint frame = e - 1;
            int chunk = (int)(frame >> FrameTable.ChunkShift);
            nint idx = (nint)(frame & FrameTable.ChunkMask);
            // A present PTE's frame is allocated, so its flags chunk exists; a ground-truth chunk may not yet.
            CacheLine.Prefetch(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(flagChunks[chunk]!), idx));
            if (gt is not null && gt[chunk] is { } g)
                CacheLine.Prefetch(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(g), idx));
            llc?.Prefetch(LlcLine(frame, addr));
        }
        return e;
    }

    // 32 leaves (512 MiB of address space) are 512 KiB of PTEs, a fraction of a host core's L2.
    private const int PrefetchMinLeaves = 32;

    /// <summary>
    /// The page fault path: first touch (zero fill, or a file read), swap-in, THP where the VMA
    /// asks for it. Returns the stall charged to the thread; <paramref name="entry"/> gets the PTE.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong Fault(SimThread th, ulong addr, bool write, out uint entry)
    {
        var p = th.Process;
        var vma = p.FindVma(addr)
            ?? throw new SimulationException($"pid {p.Pid} tid {th.Tid}: segmentation fault at 0x{addr:x} (no mapping)");
        ulong vpage = addr >> PageSizes.PageShift;
        uint e = p.PageTable.Get(vpage);
        th.NrFaults++;
        ulong cost;
        uint frame;
        if (e >= PageTable.SwapBit)
        {
            cost = Spec.Swap.ReadLatencyNs + Spec.Faults.MinorFaultNs;
            if (!TryAllocFolio(th, LocalNodeOfCpu(th.Cpu), vma, vpage, false, out frame, ref cost))
                throw OutOfMemory(p, addr);
            Swap.Free(e & ~PageTable.SwapBit);
            Swap.NrSwapIns++;
            MapNewFolio(p, vpage, frame, 1, anon: true);
            PsiStallNs += cost;
        }
        else
        {
            ulong block = vpage & ~(ulong)(PageSizes.ThpPages - 1);
            cost = 0;
            if (vma.Thp && vma.IsAnon && ThpBlockFits(p, vma, block)
                && TryAllocFolio(th, LocalNodeOfCpu(th.Cpu), vma, block, true, out frame, ref cost))
            {
                cost += Spec.Faults.ThpFaultNs;
                MapNewFolio(p, block, frame, PageSizes.ThpPages, anon: true);
                frame += (uint)(vpage - block);
            }
            else
            {
                cost += vma.IsAnon ? Spec.Faults.MinorFaultNs : Spec.Faults.FileReadNs;
                if (!TryAllocFolio(th, LocalNodeOfCpu(th.Cpu), vma, vpage, false, out frame, ref cost))
                    throw OutOfMemory(p, addr);
                MapNewFolio(p, vpage, frame, 1, anon: vma.IsAnon);
                if (!vma.IsAnon)
                    PsiStallNs += cost;
            }
        }
        entry = frame + 1;
        return cost;
    }

    private SimulationException OutOfMemory(SimProcess p, ulong addr) =>
        new($"pid {p.Pid}: out of memory at 0x{addr:x}: every allowed node is full and nothing could be reclaimed");

    /// <summary>A 2 MiB block can be a THP: wholly inside the VMA and not populated at all.</summary>
    private static bool ThpBlockFits(SimProcess p, Vma vma, ulong block)
    {
        ulong start = block << PageSizes.PageShift;
        if (start < vma.Start || start + PageSizes.ThpSize > vma.End)
            return false;
        var leaf = p.PageTable.Leaf(block >> PageTable.LeafShift);
        if (leaf is null)
            return true;
        int from = (int)(block & (PageTable.LeafSize - 1));
        return leaf.AsSpan(from, (int)PageSizes.ThpPages).IndexOfAnyExcept(0u) < 0;
    }

    /// <summary>Translate a virtual address; false if not present (never touched or swapped).</summary>
    public bool TryTranslate(int pid, ulong addr, out uint frame)
    {
        var p = TryGetProcess(pid);
        uint e = p is null ? 0 : p.PageTable.Get(addr >> PageSizes.PageShift);
        frame = e - 1;
        return e != 0 && e < PageTable.SwapBit;
    }

    /// <summary>Whether the virtual page is swapped out.</summary>
    public bool IsSwapped(int pid, ulong addr)
    {
        var p = TryGetProcess(pid);
        return p is not null && p.PageTable.Get(addr >> PageSizes.PageShift) >= PageTable.SwapBit;
    }

    /// <summary>The node the page at <paramref name="addr"/> sits on, or -1 if not present.</summary>
    public int NodeOfAddr(int pid, ulong addr) => TryTranslate(pid, addr, out uint f) ? NodeOfFrame(f) : -1;

    /// <summary>
    /// Bring one page in without a thread touching it (MADV_WILLNEED): swap-in for anonymous
    /// memory, a page-cache read for files. Returns the I/O and allocation time.
    /// </summary>
    public ulong Populate(int pid, ulong addr)
    {
        var p = Process(pid);
        var vma = p.FindVma(addr);
        if (vma is null)
            return 0;
        ulong vpage = addr >> PageSizes.PageShift;
        uint e = p.PageTable.Get(vpage);
        if (e != 0 && e < PageTable.SwapBit)
            return 0;
        var th = _threads.FirstOrDefault(t => t is not null && t.Process == p);
        int local = th is not null ? LocalNodeOfCpu(th.Cpu) : Spec.Sockets[0].Node;
        ulong cost = e >= PageTable.SwapBit ? Spec.Swap.ReadLatencyNs : Spec.Faults.FileReadNs;
        if (!TryAllocFolio(null, local, vma, vpage, false, out uint frame, ref cost))
            return cost;
        if (e >= PageTable.SwapBit)
        {
            Swap.Free(e & ~PageTable.SwapBit);
            Swap.NrSwapIns++;
        }
        MapNewFolio(p, vpage, frame, 1, anon: vma.IsAnon);
        return cost;
    }

    /// <summary>MADV_COLD on one folio: clear its references and move it to the inactive list.</summary>
    public void MakeCold(uint frame)
    {
        uint head = Frames.FolioHead(frame);
        Frames.SetFlags(head, Frames.GetFlags(head) & ~(PageFlags.Young | PageFlags.Referenced));
        SetActive(head, false);
    }

    /// <summary>folio_activate / folio_deactivate for DAMOS lru_prio / lru_deprio.</summary>
    public void SetFolioActive(uint frame, bool active) => SetActive(Frames.FolioHead(frame), active);
}
