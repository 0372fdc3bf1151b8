using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    private readonly ulong[] _kswapdClockNs;
    private readonly bool[] _kswapdWoken;
    private readonly uint[] _hand;

    /// <summary>CPU time kswapd spent (background; never charged to a thread).</summary>
    public ulong KswapdNs { get; private set; }
    public ulong NrReclaimedPages { get; private set; }
    /// <summary>LRU pages kswapd's passes scanned (the kernel's pgscan_kswapd).</summary>
    public ulong PgscanKswapd { get; private set; }
    /// <summary>Per-page scan cost of the LRU walk (isolate, rmap check).</summary>
    public const ulong ScanNsPerPage = 50;
    /// <summary>SWAP_CLUSTER_MAX: the batch reclaim works in; kswapd frees at most this many pages per pass here.</summary>
    public const ulong SwapClusterMax = 32;
    /// <summary>DEF_PRIORITY: a pass at priority p scans at most lru_size &gt;&gt; p pages.</summary>
    public const int DefPriority = 12;
    /// <summary>MAX_RECLAIM_RETRIES: balance_pgdat runs in a row that reclaim nothing before kswapd gives up.</summary>
    public const int MaxReclaimRetries = 16;

    // balance_pgdat's scan_control per node: sc.priority, and kswapd_failures.
    private int[]? _kswapdPriority;
    private ulong[]? _kswapdRunReclaimed;
    private int[]? _kswapdFailures;

    /// <summary>kswapd's sc.priority on <paramref name="nid"/> (DEF_PRIORITY at the start of every balance_pgdat).</summary>
    public int KswapdPriority(int nid) => _kswapdPriority?[nid] ?? DefPriority;

    /// <summary>Whether <paramref name="nid"/>'s kswapd is awake (woken below the low watermark, not yet balanced).</summary>
    public bool KswapdAwake(int nid) => _kswapdWoken[nid];

    private ulong[]? _kswapdBoostPages;

    /// <summary>
    /// Wake kswapd with a target above the high watermark: it reclaims (demotes) until the node has
    /// <paramref name="boostPages"/> more free pages than high — NUMA-balancing tiering's WMARK_PROMO,
    /// TPP's demotion watermark. The boost ends when kswapd reaches it.
    /// </summary>
    public void WakeKswapdBoosted(int nid, ulong boostPages)
    {
        _kswapdBoostPages ??= new ulong[NrNodes];
        _kswapdBoostPages[nid] = Math.Max(_kswapdBoostPages[nid], boostPages);
        WakeKswapd(nid);
    }

    /// <summary>
    /// wakeup_kswapd: start a balance_pgdat run at DEF_PRIORITY, unless kswapd is awake already or
    /// gave up (kswapd_failures at MAX_RECLAIM_RETRIES: it stays asleep until a reclaim pass on
    /// the node, direct reclaim's, frees something).
    /// </summary>
    private void WakeKswapd(int nid)
    {
        if (!Spec.LinuxDefault || _kswapdWoken[nid])
            return;
        _kswapdPriority ??= new int[NrNodes];
        _kswapdRunReclaimed ??= new ulong[NrNodes];
        _kswapdFailures ??= new int[NrNodes];
        if (_kswapdFailures[nid] >= MaxReclaimRetries)
            return;
        _kswapdWoken[nid] = true;
        _kswapdClockNs[nid] = Math.Max(_kswapdClockNs[nid], NowNs);
        _kswapdPriority[nid] = DefPriority;
        _kswapdRunReclaimed[nid] = 0;
    }

    /// <summary>Consecutive balance_pgdat runs on <paramref name="nid"/> that reclaimed nothing (kswapd_failures).</summary>
    public int KswapdFailures(int nid) => _kswapdFailures?[nid] ?? 0;

    /// <summary>
    /// Move background time to <paramref name="nowNs"/>: close latency windows, and let every woken
    /// kswapd reclaim until its node is above the high watermark or its own clock catches up with
    /// now (kswapd is one CPU per node: it cannot reclaim faster than its work takes).
    /// </summary>
    public void Tick(ulong nowNs)
    {
        if (nowNs < NowNs)
            return;
        NowNs = nowNs;
        Latency.Tick(nowNs);
        if (!Spec.LinuxDefault)
            return;
        for (int n = 0; n < NrNodes; n++)
        {
            if (!_kswapdWoken[n])
                continue;
            while (_kswapdClockNs[n] < nowNs)
                if (!KswapdPass(n))
                    break;
        }
    }

    /// <summary>
    /// One iteration of balance_pgdat's priority loop on node <paramref name="nid"/>: stop if the
    /// node is balanced, else one kswapd_shrink_node pass at sc.priority, which scans at most
    /// lru_size &gt;&gt; priority pages (get_scan_count) and frees at most SWAP_CLUSTER_MAX and never
    /// more than the high watermark needs; then lower the priority if the pass scanned fewer pages
    /// than it was to reclaim or reclaimed nothing. A run that reaches priority 0 starts again at
    /// DEF_PRIORITY; MAX_RECLAIM_RETRIES runs in a row without a page reclaimed put kswapd to sleep.
    /// Returns false when kswapd went to sleep.
    /// </summary>
    private bool KswapdPass(int nid)
    {
        ulong high = WmarkHighPages(nid) + (_kswapdBoostPages?[nid] ?? 0);
        ulong free = _nodes[nid].NrFree;
        if (free >= high)
        {
            KswapdSleep(nid);
            return false;
        }
        int priority = _kswapdPriority![nid];
        ulong nrToReclaim = Math.Min(SwapClusterMax, high - free);
        ulong cost = ReclaimNode(nid, nrToReclaim, allowDemotion: true, _nodes[nid].NrUsed >> priority, out ulong scanned, out ulong reclaimed);
        _kswapdClockNs[nid] += Math.Max(cost, 1);
        KswapdNs += cost;
        PgscanKswapd += scanned;
        _kswapdRunReclaimed![nid] += reclaimed;
        // raise_priority unless kswapd_shrink_node scanned at least nr_to_reclaim (here the pass's
        // own, at most SWAP_CLUSTER_MAX, not the kernel's max(high_wmark, 32): docs/kernel-differences.md).
        if (scanned < nrToReclaim || reclaimed == 0)
            priority--;
        if (priority < 1)
        {
            if (_kswapdRunReclaimed[nid] == 0 && ++_kswapdFailures![nid] >= MaxReclaimRetries)
            {
                // Nothing reclaimable (all pages referenced, swap full): kswapd stays asleep until a reclaim pass frees something here.
                KswapdSleep(nid);
                return false;
            }
            priority = DefPriority;
            _kswapdRunReclaimed[nid] = 0;
        }
        _kswapdPriority[nid] = priority;
        return true;
    }

    private void KswapdSleep(int nid)
    {
        _kswapdWoken[nid] = false;
        if (_kswapdBoostPages is not null) _kswapdBoostPages[nid] = 0;
    }

    /// <summary>
    /// shrink_node as a second-chance CLOCK over the node's frames, which stands in for the
    /// active/inactive LRU lists: a young folio gets its bit cleared and is activated; an active,
    /// not young folio is deactivated (aging); an inactive, not young folio is evicted — demoted to
    /// the next lower tier when demotion is on and that node has room, else swapped out (anon) or
    /// dropped (page cache, written back if dirty). Returns the time the work took.
    /// </summary>
    internal ulong ReclaimNode(int nid, ulong nrToFree, bool allowDemotion) =>
        ReclaimNode(nid, nrToFree, allowDemotion, ulong.MaxValue, out _, out _);

    /// <summary>
    /// <see cref="ReclaimNode(int, ulong, bool)"/> with a scan budget: it stops once
    /// <paramref name="maxScanPages"/> LRU pages (free frames are not on the LRU and do not count)
    /// were scanned, as a shrink_node pass stops at get_scan_count's lru_size &gt;&gt; priority (a THP
    /// counts its 512 pages and is scanned whole, so the last folio may overrun the budget, as
    /// isolate_lru_folios' nr_taken does). Three
    /// laps of the node's frames bound every call, budget or not (a young folio takes a lap to be
    /// activated, one to be deactivated, one to be evicted).
    /// </summary>
    internal ulong ReclaimNode(int nid, ulong nrToFree, bool allowDemotion, ulong maxScanPages, out ulong nrScanned, out ulong nrReclaimed)
    {
        var node = _nodes[nid];
        ulong cost = 0, freed = 0, visited = 0, scanned = 0;
        ulong limit = 3UL * node.NrFrames + PageSizes.ThpPages;
        uint f = _hand[nid];
        while (freed < nrToFree && visited < limit && scanned < maxScanPages)
        {
            if (f >= node.EndFrame) f = node.BaseFrame;
            if (Frames.Flags[f >> FrameTable.ChunkShift] is null)
            {
                uint next = ((f >> FrameTable.ChunkShift) + 1) << FrameTable.ChunkShift;
                visited += next - f;
                f = next;
                continue;
            }
            var flags = Frames.GetFlags(f);
            if ((flags & PageFlags.Allocated) == 0)
            {
                f++;
                visited++;
                continue;
            }
            uint head = Frames.FolioHead(f);
            uint nr = Frames.FolioNrPages(head);
            flags = Frames.GetFlags(head);
            uint after = head + nr;
            visited += nr;
            scanned += nr;
            cost += ScanNsPerPage;
            // folio_referenced: young PTEs or PG_young count; a young PTE also clears PG_idle.
            if ((flags & (PageFlags.Young | PageFlags.Referenced)) != 0)
            {
                var cleared = flags & ~(PageFlags.Young | PageFlags.Referenced);
                if ((flags & PageFlags.Young) != 0) cleared &= ~PageFlags.Idle;
                Frames.SetFlags(head, cleared);
                // pmdp_clear_flush_young flushes a young PMD on x86; ptep_clear_flush_young does not.
                if ((flags & (PageFlags.Young | PageFlags.Thp)) == (PageFlags.Young | PageFlags.Thp))
                    FlushFolioTlb(head);
                SetActive(head, true);
            }
            else if ((flags & PageFlags.Active) != 0)
            {
                SetActive(head, false);
            }
            else
            {
                ulong c = EvictFolio(head, allowDemotion, out bool ok);
                cost += c;
                if (ok) freed += nr;
            }
            f = after;
        }
        _hand[nid] = f;
        NrReclaimedPages += freed;
        // shrink_node: a pass that reclaimed anything resets kswapd_failures.
        if (freed > 0 && _kswapdFailures is not null)
            _kswapdFailures[nid] = 0;
        nrScanned = scanned;
        nrReclaimed = freed;
        return cost;
    }

    /// <summary>Evict one folio from its node: demote, swap out or drop. Returns the cost.</summary>
    internal ulong EvictFolio(uint head, bool allowDemotion, out bool freed)
    {
        int nid = NodeOfFrame(head);
        uint nr = Frames.FolioNrPages(head);
        var flags = Frames.GetFlags(head);
        int dst = _demotionTarget[nid];
        if (allowDemotion && Spec.DemotionEnabled && dst >= 0
            && _nodes[dst].NrFree >= nr + (Spec.LinuxDefault ? WmarkMinPages(dst) : 0))
        {
            uint moved = MigrateFolio(head, dst, out ulong c);
            if (moved > 0)
            {
                if (Spec.LinuxDefault && _nodes[dst].NrFree < WmarkLowPages(dst))
                    WakeKswapd(dst);
                freed = true;
                return c;
            }
        }
        return SwapOutOrDrop(head, nr, flags, out freed);
    }

    /// <summary>Write an anonymous folio to swap, or drop a page-cache folio (after writeback if dirty).</summary>
    internal ulong SwapOutOrDrop(uint head, uint nr, PageFlags flags, out bool freed)
    {
        freed = false;
        ulong cost = 0;
        if ((flags & PageFlags.Anon) != 0)
        {
            if (Swap.CapacityPages - Swap.NrUsed < nr)
                return 0;
            if (nr > 1)
                SplitThp(head);
            for (uint i = 0; i < nr; i++)
            {
                Swap.TryAlloc(out uint slot);
                int owner = Frames.OwnerPid(head + i);
                if (owner != 0)
                    _procs[owner]!.PageTable.Set(Frames.OwnerVpage(head + i), PageTable.SwapBit | slot);
                Swap.NrSwapOuts++;
                cost += Spec.Swap.WriteLatencyNs;
            }
            for (uint i = 0; i < nr; i++)
                FreeFolio(head + i);
        }
        else
        {
            if ((flags & PageFlags.Dirty) != 0)
                cost += Spec.Swap.WriteLatencyNs * (ulong)nr;
            for (uint i = 0; i < nr; i++)
            {
                int owner = Frames.OwnerPid(head + i);
                if (owner != 0 && (Frames.GetFlags(head + i) & PageFlags.Mapped) != 0)
                    _procs[owner]!.PageTable.Set(Frames.OwnerVpage(head + i), 0);
            }
            FreeFolio(head);
        }
        freed = true;
        return cost;
    }

    /// <summary>
    /// reclaim_pages as MADV_PAGEOUT and DAMOS pageout use it: evict without demotion (no_demotion)
    /// and regardless of references. Returns pages freed; <paramref name="costNs"/> gets the time.
    /// </summary>
    public uint PageoutFolio(uint frame, out ulong costNs)
    {
        uint head = Frames.FolioHead(frame);
        uint nr = Frames.FolioNrPages(head);
        var flags = Frames.GetFlags(head);
        if ((flags & PageFlags.Allocated) == 0)
        {
            costNs = 0;
            return 0;
        }
        costNs = SwapOutOrDrop(head, nr, flags, out bool freed);
        if (freed) NrReclaimedPages += nr;
        return freed ? nr : 0;
    }
}
