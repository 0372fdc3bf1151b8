using System.Diagnostics;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;

namespace Damon.Tiering.NumaBalancing;

/// <summary>
/// NUMA balancing in memory-tiering mode (tiering.md §2.3): every scan period, task_numa_work makes
/// the next <c>scan_size</c> of each process's slow-tier pages PROT_NONE and stamps them with the
/// scan time (top-tier pages are skipped). A hint fault within the hot threshold of that stamp makes
/// the page a promotion candidate (pgpromote_candidate); it is promoted unless the per-node rate
/// limit for the current second is used up, or promoted unconditionally while the fast node has
/// plenty of free space. The threshold moves by ref/16 once per adjust period, within [ref/16, ref],
/// toward rate_limit × period candidates (±10 %). Promotion is synchronous: the fault and the copy
/// are charged to the faulting thread. Demotion is reclaim's (kswapd, demotion_enabled).
/// </summary>
public class NumaBalancingPolicy : TieringPolicyBase, IHintFaultHandler
{
    private readonly Dictionary<int, ulong> _scanCursor = [];
    private FrameArray<uint> _scanMs = null!;
    private ulong _nextScanUs;
    private ulong _nowMs;

    // pgdat->nbp_rl_start / nbp_rl_nr_cand, nbp_th_start / nbp_th_nr_cand / nbp_threshold.
    private ulong _rlStartMs, _rlNrCand, _thStartMs, _thNrCand;

    public NumaBalancingPolicy(NumaBalancingParams? p = null) => Params = p ?? new NumaBalancingParams();

    public NumaBalancingParams Params { get; }
    public override string Name => "numab2";
    public override ulong TickIntervalUs => 10_000;

    public ulong NrCandidates { get; private set; }
    public ulong NrPromoted { get; private set; }
    public ulong NrRateLimited { get; private set; }
    /// <summary>The current hot threshold (nbp_threshold).</summary>
    public ulong ThresholdMs { get; private set; }

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = true, DemotionEnabled = true };

    protected override void OnAttach()
    {
        _scanMs = new FrameArray<uint>(Machine.NrFrameSlots);
        ThresholdMs = Params.HotThresholdMs;
        Machine.HintFaultHandler = this;
    }

    protected override void OnTick(ulong nowUs)
    {
        _nowMs = nowUs / 1000;
        if (nowUs < _nextScanUs)
            return;
        _nextScanUs = nowUs + Params.ScanPeriodMs * 1000;
        foreach (var p in Machine.Processes)
            if (p.Alive) ScanProcess(p);
    }

    /// <summary>task_numa_work: PROT_NONE on up to scan_size of slow-tier pages, at most 8× that of address space.</summary>
    private void ScanProcess(SimProcess p)
    {
        ulong pages = Params.ScanSizeMiB << (20 - PageSizes.PageShift);
        ulong virtpages = pages * 8;
        _scanCursor.TryGetValue(p.Pid, out ulong cursor);
        var vmas = p.Vmas.Where(v => v.End > v.Start).ToList();
        if (vmas.Count == 0) return;
        int vi = vmas.FindIndex(v => v.End > cursor);
        if (vi < 0) { vi = 0; cursor = 0; }
        ulong scanned = 0, updated = 0;
        int idx = vi;
        for (int visited = 0; visited <= vmas.Count && scanned < virtpages && updated < pages; visited++)
        {
            var v = vmas[idx];
            ulong vp = Math.Max(cursor, v.Start) >> PageSizes.PageShift;
            ulong end = v.End >> PageSizes.PageShift;
            for (; vp < end && scanned < virtpages && updated < pages; vp++, scanned++)
            {
                uint e = p.PageTable.Get(vp);
                if (e == 0 || e >= PageTable.SwapBit) continue;
                uint frame = e - 1;
                if (Machine.NodeOfFrame(frame) == Nodes.Fast) continue;   // node_is_toptier: skipped
                uint head = Machine.Frames.FolioHead(frame);
                if (Machine.SetProtNone(head))
                {
                    _scanMs[head] = (uint)_nowMs;                          // folio_xchg_access_time
                    updated += Machine.Frames.FolioNrPages(head);
                }
            }
            if (vp < end)
            {
                cursor = vp << PageSizes.PageShift;
                break;
            }
            idx = (idx + 1) % vmas.Count;
            cursor = idx == 0 ? 0 : vmas[idx].Start;
        }
        _scanCursor[p.Pid] = cursor;
        OwnBackgroundNs += scanned * SimMachine.ScanNsPerPage;
    }

    public ulong OnHintFault(SimThread thread, uint headFrame, bool write)
    {
        long t0 = Stopwatch.GetTimestamp();
        ulong nowMs = thread.ClockNs / 1_000_000;
        ulong cost = Machine.Spec.Faults.MinorFaultNs;
        if (Machine.NodeOfFrame(headFrame) != Nodes.Fast && ShouldPromote(headFrame, nowMs))
            cost += Promote(headFrame);
        PolicyTicks += Stopwatch.GetTimestamp() - t0;
        return cost;
    }

    /// <summary>should_numa_migrate_memory, memory-tiering branch.</summary>
    private bool ShouldPromote(uint head, ulong nowMs)
    {
        if (FreeSpaceEnough())
            return PassesExtraCheck(head);
        if (Params.AutoAdjustThreshold)
            AdjustThreshold(nowMs);
        ulong latency = nowMs - Math.Min(nowMs, _scanMs[head]);   // numa_hint_fault_latency
        if (latency >= ThresholdMs)
            return false;
        if (!PassesExtraCheck(head))
            return false;
        uint nr = Machine.Frames.FolioNrPages(head);
        NrCandidates += nr;                                          // PGPROMOTE_CANDIDATE
        if (RateLimited(nowMs))
        {
            NrRateLimited += nr;
            return false;
        }
        return true;
    }

    /// <summary>TPP's active-LRU check; nothing in plain NUMA balancing.</summary>
    protected virtual bool PassesExtraCheck(uint head) => true;

    /// <summary>
    /// pgdat_free_space_enough: free above high watermark + max(1 GiB, node/16). The 1 GiB floor is
    /// dropped here because the harness scales the machine down (it would exceed the fast node).
    /// </summary>
    private bool FreeSpaceEnough()
    {
        var node = Machine.Node(Nodes.Fast);
        return node.NrFree > Machine.WmarkHighPages(Nodes.Fast) + node.NrFrames / 16;
    }

    /// <summary>numa_promotion_rate_limit: candidates within the current 1 s window against rate_limit.</summary>
    private bool RateLimited(ulong nowMs)
    {
        ulong limitPages = Params.PromoteRateLimitMBps << (20 - PageSizes.PageShift);
        if (nowMs - _rlStartMs > 1000)
        {
            _rlStartMs = nowMs;
            _rlNrCand = NrCandidates;
        }
        return NrCandidates - _rlNrCand >= limitPages;
    }

    /// <summary>numa_promotion_adjust_threshold with tiering.md §2.3's step (ref/16) and bounds [ref/16, ref].</summary>
    private void AdjustThreshold(ulong nowMs)
    {
        if (nowMs - _thStartMs <= Params.AdjustPeriodMs)
            return;
        ulong refTh = Params.HotThresholdMs;
        ulong refCand = (Params.PromoteRateLimitMBps << (20 - PageSizes.PageShift)) * Params.AdjustPeriodMs / 1000;
        ulong diff = NrCandidates - _thNrCand;
        ulong unit = Math.Max(refTh / 16, 1);
        if (diff > refCand * 11 / 10)
            ThresholdMs = Math.Max(ThresholdMs - Math.Min(unit, ThresholdMs), unit);
        else if (diff < refCand * 9 / 10)
            ThresholdMs = Math.Min(ThresholdMs + unit, refTh);
        _thStartMs = nowMs;
        _thNrCand = NrCandidates;
    }

    /// <summary>
    /// migrate_misplaced_folio: only into a balanced node (free above high + the folio); otherwise
    /// wake kswapd toward WMARK_PROMO (high + (low − min)) and give up this time.
    /// </summary>
    private ulong Promote(uint head)
    {
        uint nr = Machine.Frames.FolioNrPages(head);
        int fast = Nodes.Fast;
        if (Machine.Node(fast).NrFree <= Machine.WmarkHighPages(fast) + nr)
        {
            Machine.WakeKswapdBoosted(fast, PromoBoostPages() + nr);
            return 0;
        }
        uint moved = Machine.MigrateFolio(head, fast, out ulong ns);
        NrPromoted += moved;
        return ns;
    }

    protected virtual ulong PromoBoostPages() => Machine.WmarkLowPages(Nodes.Fast) - Machine.WmarkMinPages(Nodes.Fast);
}
