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
    /// <summary>Per-page scan cost of the LRU walk (isolate, rmap check).</summary>
    public const ulong ScanNsPerPage = 50;
    /// <summary>Pages kswapd reclaims per step, like SWAP_CLUSTER_MAX.</summary>
    private const ulong KswapdBatch = 32;

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

    private void WakeKswapd(int nid)
    {
        if (!Spec.LinuxDefault || _kswapdWoken[nid])
            return;
        _kswapdWoken[nid] = true;
        _kswapdClockNs[nid] = Math.Max(_kswapdClockNs[nid], NowNs);
    }

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
            {
                ulong high = WmarkHighPages(n) + (_kswapdBoostPages?[n] ?? 0);
                if (_nodes[n].NrFree >= high)
                {
                    _kswapdWoken[n] = false;
                    if (_kswapdBoostPages is not null) _kswapdBoostPages[n] = 0;
                    break;
                }
                ulong before = _nodes[n].NrFree;
                ulong cost = ReclaimNode(n, Math.Min(KswapdBatch, high - before), allowDemotion: true);
                _kswapdClockNs[n] += Math.Max(cost, 1);
                KswapdNs += cost;
                if (_nodes[n].NrFree == before)
                {
                    // Nothing reclaimable now (all pages referenced, swap full): sleep until woken again.
                    _kswapdWoken[n] = false;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// shrink_node as a second-chance CLOCK over the node's frames, which stands in for the
    /// active/inactive LRU lists: a young folio gets its bit cleared and is activated; an active,
    /// not young folio is deactivated (aging); an inactive, not young folio is evicted — demoted to
    /// the next lower tier when demotion is on and that node has room, else swapped out (anon) or
    /// dropped (page cache, written back if dirty). Returns the time the work took.
    /// </summary>
    internal ulong ReclaimNode(int nid, ulong nrToFree, bool allowDemotion)
    {
        var node = _nodes[nid];
        ulong cost = 0, freed = 0, scanned = 0;
        ulong limit = 3UL * node.NrFrames + PageSizes.ThpPages;
        uint f = _hand[nid];
        while (freed < nrToFree && scanned < limit)
        {
            if (f >= node.EndFrame) f = node.BaseFrame;
            if (Frames.Flags[f >> FrameTable.ChunkShift] is null)
            {
                uint next = ((f >> FrameTable.ChunkShift) + 1) << FrameTable.ChunkShift;
                scanned += next - f;
                f = next;
                continue;
            }
            var flags = Frames.GetFlags(f);
            if ((flags & PageFlags.Allocated) == 0)
            {
                f++;
                scanned++;
                continue;
            }
            uint head = Frames.FolioHead(f);
            uint nr = Frames.FolioNrPages(head);
            flags = Frames.GetFlags(head);
            uint after = head + nr;
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
