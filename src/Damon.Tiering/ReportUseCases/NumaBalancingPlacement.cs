using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;

namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// NUMA balancing's memory half in its normal mode (numa_balancing=1, NUMA_BALANCING_NORMAL), with
/// task placement off (threads stay pinned): the rival of DAMON's per-CPU placement. The tiering
/// rival (<see cref="NumaBalancing.NumaBalancingPolicy"/>, numa_balancing=2) cannot do this job:
/// it skips top-tier pages when scanning and promotes towards the fast tier whoever faults, and on
/// a machine of two DRAM nodes every node is top tier.
/// <list type="bullet">
/// <item>task_numa_work: every scan period (the first after scan_delay), the next
/// <see cref="ScanSizeBytes"/> of the process's present pages are made PROT_NONE, on every node;
/// a pass over the whole address space is one numa_scan_seq.</item>
/// <item>do_numa_page → numa_migrate_check → mpol_misplaced with the default policy
/// (MPOL_F_MORON): the target is the faulting CPU's node, if should_numa_migrate_memory agrees:
/// the folio's last_cpupid is exchanged for this fault's (cpu, tid); early in the task's life
/// (numa_scan_seq ≤ 4) a first or private fault migrates at once; otherwise the two-stage filter
/// refuses unless the previous fault came from the same node; a private fault migrates; a shared
/// one migrates when the group's CPU faults on the destination are more than 3× the source's
/// (ACTIVE_NODE_FRACTION), or by the 3/4 hysteresis of group CPU faults × memory faults.</item>
/// <item>task_numa_fault buffers each fault per thread by the node of the memory and of the
/// CPU; once per scan sequence task_numa_placement folds the buffers into the group's counts,
/// halving the old ones: memory faults as they are, CPU faults weighted by the thread's share of
/// its faults on each CPU node and its CPU use (<c>(runtime &lt;&lt; 16) / period</c>, taken as
/// 1 &lt;&lt; 16: the threads never sleep), so the group's CPU count of a node says how much of
/// the group runs there.</item>
/// </list>
/// Simplifications, each against this rival's interest or neutral: the scan period stays at
/// scan_period_min (the kernel lengthens it when faults are local, which only slows it); the
/// process's threads are one numa_group from the start (the kernel forms it on the first shared
/// fault); placement folds every thread's buffer at the end of a pass (the kernel: at each
/// thread's first fault of the new sequence); private and shared faults are not told apart in
/// the counts (the decision reads only their sums); migration has no rate limit (mainline has none in this mode). The hint fault and a
/// synchronous migration are charged to the faulting thread, as do_numa_page runs in its context.
/// </summary>
public sealed class NumaBalancingPlacement : IHintFaultHandler
{
    /// <summary>cpupid_pid_unset: no fault has been recorded on the folio.</summary>
    private const long CpupidUnset = -1;
    /// <summary>ACTIVE_NODE_FRACTION.</summary>
    private const ulong ActiveNodeFraction = 3;

    private readonly SimMachine _machine;
    private readonly int _pid;
    private readonly FrameArray<long> _lastCpupid;
    private readonly ulong[] _groupFaultsCpu;
    private readonly ulong[] _groupFaultsMem;
    // p->numa_faults[NUMA_MEMBUF / NUMA_CPUBUF] of each thread: faults since the last placement, by node.
    private readonly Dictionary<int, (ulong[] Mem, ulong[] Cpu)> _buffers = [];
    private ulong _cursor;
    private ulong? _nextScanNs;

    public NumaBalancingPlacement(SimMachine machine, int pid)
    {
        _machine = machine;
        _pid = pid;
        _lastCpupid = new FrameArray<long>(machine.NrFrameSlots);
        _groupFaultsCpu = new ulong[machine.NrNodes];
        _groupFaultsMem = new ulong[machine.NrNodes];
        machine.HintFaultHandler = this;
    }

    /// <summary>sysctl_numa_balancing_scan_delay_ms.</summary>
    public ulong ScanDelayMs { get; init; } = 1000;
    /// <summary>sysctl_numa_balancing_scan_period_min_ms.</summary>
    public ulong ScanPeriodMs { get; init; } = 1000;
    /// <summary>sysctl_numa_balancing_scan_size_mb, in bytes.</summary>
    public ulong ScanSizeBytes { get; init; } = 256UL << 20;
    /// <summary>
    /// numa_balancing=3 (NUMA_BALANCING_NORMAL | NUMA_BALANCING_MEMORY_TIERING): a fault on a folio
    /// of a lower tier than the faulting CPU's node takes the tiering branch of
    /// should_numa_migrate_memory instead (<see cref="ShouldPromote"/>).
    /// </summary>
    public bool MemoryTiering { get; init; }
    /// <summary>
    /// NUMA_BALANCING_NORMAL. Off with <see cref="MemoryTiering"/> on is numa_balancing=2:
    /// task_numa_work skips top-tier folios (change_pte_range's node_is_toptier check), so only
    /// lower-tier memory is ever marked and nothing moves between top-tier nodes.
    /// </summary>
    public bool Normal { get; init; } = true;

    /// <summary>mm->numa_scan_seq: whole passes over the address space.</summary>
    public uint NumaScanSeq { get; private set; }
    public ulong NrMarked { get; private set; }
    public ulong NrHintFaults { get; private set; }
    public ulong NrMigratedPages { get; private set; }
    /// <summary>numa_hint_faults_local: faults from a CPU of the node the page is on.</summary>
    public ulong NrLocalFaults { get; private set; }
    /// <summary>Simulated time of the scans (change_prot_numa), off the application's threads.</summary>
    public ulong ScanNs { get; private set; }

    /// <summary>Run task_numa_work if a scan is due by <paramref name="nowNs"/>.</summary>
    public void Tick(ulong nowNs)
    {
        // mm->numa_next_scan starts scan_delay after the task does (read here: init sets it after the constructor).
        _nextScanNs ??= ScanDelayMs * 1_000_000;
        if (nowNs < _nextScanNs)
            return;
        _nextScanNs = nowNs + ScanPeriodMs * 1_000_000;
        Scan();
    }

    private void Scan()
    {
        var p = _machine.Process(_pid);
        if (!p.Alive)
            return;
        ulong budget = ScanSizeBytes >> PageSizes.PageShift, updated = 0, scanned = 0;
        var vmas = p.Vmas.Where(v => v.End > v.Start).OrderBy(v => v.Start).ToList();
        if (vmas.Count == 0)
            return;
        // A pass ends when the cursor walks off the last VMA; the next scan starts a new sequence.
        foreach (var v in vmas)
        {
            if (v.End <= _cursor)
                continue;
            for (ulong vp = Math.Max(_cursor, v.Start) >> PageSizes.PageShift; vp < v.End >> PageSizes.PageShift; vp++)
            {
                if (updated >= budget)
                {
                    _cursor = vp << PageSizes.PageShift;
                    ScanNs += scanned * SimMachine.ScanNsPerPage;
                    return;
                }
                scanned++;
                uint e = p.PageTable.Get(vp);
                if (e == 0 || e >= PageTable.SwapBit)
                    continue;
                uint head = _machine.Frames.FolioHead(e - 1);
                if (!Normal && IsTopTier(_machine.NodeOfFrame(head)))
                    continue;
                if (_machine.SetProtNone(head))
                {
                    updated += _machine.Frames.FolioNrPages(head);
                    NrMarked++;
                }
            }
        }
        _cursor = 0;
        NumaScanSeq++;
        ScanNs += scanned * SimMachine.ScanNsPerPage;
        TaskNumaPlacement();
    }

    /// <summary>
    /// task_numa_placement's fault bookkeeping for every thread of the group, at the end of a scan
    /// sequence: faults = faults / 2 + buffer (memory), and faults_cpu = faults_cpu / 2 +
    /// (1 &lt;&lt; 16) × cpu buffer / (the thread's faults + 1).
    /// </summary>
    private void TaskNumaPlacement()
    {
        int nodes = _groupFaultsMem.Length;
        var mem = new ulong[nodes];
        var cpu = new ulong[nodes];
        foreach (var (m, c) in _buffers.Values)
        {
            ulong total = 0;
            for (int n = 0; n < nodes; n++) total += c[n];
            for (int n = 0; n < nodes; n++)
            {
                mem[n] += m[n];
                cpu[n] += (1UL << 16) * c[n] / (total + 1);
                m[n] = c[n] = 0;
            }
        }
        for (int n = 0; n < nodes; n++)
        {
            _groupFaultsMem[n] = _groupFaultsMem[n] / 2 + mem[n];
            _groupFaultsCpu[n] = _groupFaultsCpu[n] / 2 + cpu[n];
        }
    }

    public ulong OnHintFault(SimThread thread, uint headFrame, bool write)
    {
        NrHintFaults++;
        ulong cost = _machine.Spec.Faults.MinorFaultNs;
        int srcNid = _machine.NodeOfFrame(headFrame);
        int dstNid = _machine.LocalNodeOfCpu(thread.Cpu);
        uint nr = _machine.Frames.FolioNrPages(headFrame);
        bool tiering = MemoryTiering && !IsTopTier(srcNid);
        // mpol_misplaced asks even for a local fault: the question stamps the folio's last_cpupid.
        bool migrate = (tiering ? ShouldPromote(dstNid) : ShouldNumaMigrateMemory(thread, headFrame, srcNid, dstNid)) && srcNid != dstNid;
        if (srcNid == dstNid)
            NrLocalFaults++;
        int memNid = srcNid;
        if (migrate)
        {
            int pid = _machine.Frames.OwnerPid(headFrame);
            ulong addr = _machine.Frames.OwnerVpage(headFrame) << PageSizes.PageShift;
            uint moved = _machine.MigrateFolio(headFrame, dstNid, out ulong ns, this);
            cost += ns;
            NrMigratedPages += moved;
            if (moved != 0 && _machine.TryTranslate(pid, addr, out uint newFrame))
            {
                // folio_migrate_flags carries last_cpupid to the new folio (reset when the move
                // crosses tiers: on the slow tier the field held the access time); the old frame is free.
                _lastCpupid[_machine.Frames.FolioHead(newFrame)] = tiering ? 0 : _lastCpupid[headFrame];
                _lastCpupid[headFrame] = 0;
                memNid = dstNid;
            }
        }
        // task_numa_fault: in tiering mode a fault whose memory stays on the slow tier is not counted.
        if (MemoryTiering && !IsTopTier(memNid))
            return cost;
        // task_numa_fault: buffered by the node the memory ends up on and the faulting CPU's node.
        if (!_buffers.TryGetValue(thread.Tid, out var buf))
            _buffers[thread.Tid] = buf = (new ulong[_groupFaultsMem.Length], new ulong[_groupFaultsMem.Length]);
        buf.Mem[memNid] += nr;
        buf.Cpu[dstNid] += nr;
        return cost;
    }

    private bool IsTopTier(int nid) => _machine.Spec.Nodes[nid].Tier == _machine.Spec.Nodes.Min(n => n.Tier);

    /// <summary>
    /// should_numa_migrate_memory's memory-tiering branch with pgdat_free_space_enough (free above
    /// WMARK_PROMO + node/16; the 1 GiB floor dropped for the scaled machines): promote. The
    /// hot-threshold path for a fuller node is not modelled here (the accessor scenarios' DRAM
    /// nodes keep their room; <see cref="NumaBalancing.NumaBalancingPolicy"/> has it): no promotion then.
    /// </summary>
    private bool ShouldPromote(int dstNid)
    {
        var node = _machine.Node(dstNid);
        ulong promo = _machine.WmarkHighPages(dstNid) + _machine.WmarkLowPages(dstNid) - _machine.WmarkMinPages(dstNid);
        return node.NrFree > promo + node.NrFrames / 16;
    }

    /// <summary>should_numa_migrate_memory, NUMA_BALANCING_NORMAL path (kernel/sched/fair.c).</summary>
    private bool ShouldNumaMigrateMemory(SimThread thread, uint head, int srcNid, int dstNid)
    {
        long thisCpupid = Cpupid(thread);
        long lastCpupid = _lastCpupid[head] == 0 ? CpupidUnset : _lastCpupid[head];
        _lastCpupid[head] = thisCpupid;                                   // folio_xchg_last_cpupid
        bool unset = lastCpupid == CpupidUnset;
        bool samePid = !unset && TidOf(lastCpupid) == thread.Tid;
        if (NumaScanSeq <= 4 && (unset || samePid))
            return true;
        if (!unset && _machine.LocalNodeOfCpu(CpuOf(lastCpupid)) != dstNid)
            return false;                                                 // the two-stage filter
        if (samePid)
            return true;                                                  // a private fault
        ulong dstCpu = _groupFaultsCpu[dstNid], srcCpu = _groupFaultsCpu[srcNid];
        if (dstCpu > srcCpu * ActiveNodeFraction)
            return true;
        return dstCpu * _groupFaultsMem[srcNid] * 3 > srcCpu * _groupFaultsMem[dstNid] * 4;
    }

    // A stored cpupid is (cpu + 1) << 32 | tid, so 0 (a frame never stamped) reads as unset.
    private static long Cpupid(SimThread th) => ((long)(th.Cpu + 1) << 32) | (uint)th.Tid;
    private static int CpuOf(long cpupid) => (int)(cpupid >> 32) - 1;
    private static int TidOf(long cpupid) => (int)(cpupid & 0xffff_ffff);
}
