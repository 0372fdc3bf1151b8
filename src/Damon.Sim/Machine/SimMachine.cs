using Damon.Sim.GroundTruth;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Sim.Machine;

/// <summary>
/// The simulated tiered-memory machine: NUMA nodes with a loaded-latency model, a physical frame
/// space with per-frame state and a reverse map, processes with Linux-like address spaces, a swap
/// device, and (optionally) the Linux default background of kswapd reclaim, LRU aging and
/// demotion. Workloads drive it through <see cref="IWorkloadHost"/>; DAMON's operations sets read
/// and change its page state. Single-threaded and deterministic from <see cref="Seed"/>.
/// </summary>
public sealed partial class SimMachine : IWorkloadHost
{
    /// <summary>Memcg indexes are a byte per frame.</summary>
    public const int MaxMemcgs = 256;

    private readonly NodeFrames[] _nodes;
    private readonly byte[] _nodeOfChunk;
    private readonly int[] _socketOfCpu;
    private readonly int[][] _fallback;
    private readonly int[] _demotionTarget;
    private readonly List<SimProcess?> _procs = [null];
    private readonly List<SimThread?> _threads = [null];
    private readonly List<ulong> _memcgIds = [0];
    private readonly ulong[] _memcgPages;
    private readonly ulong[] _nrActive;
    private readonly ulong[] _migratedPages;

    public SimMachine(MachineSpec spec, ulong seed = 1)
    {
        spec.Validate();
        Spec = spec;
        Seed = seed;
        NrNodes = spec.Nodes.Count;

        // Each node's frames start on a 1 GiB boundary, so a frame's node is one table lookup per chunk.
        _nodes = new NodeFrames[NrNodes];
        uint baseFrame = 0;
        var chunkNodes = new List<byte>();
        for (int n = 0; n < NrNodes; n++)
        {
            uint nrFrames = (uint)(spec.Nodes[n].CapacityBytes >> PageSizes.PageShift);
            _nodes[n] = new NodeFrames(n, baseFrame, nrFrames);
            uint chunks = (nrFrames + FrameTable.ChunkMask) >> FrameTable.ChunkShift;
            for (uint c = 0; c < chunks; c++) chunkNodes.Add((byte)n);
            baseFrame += chunks << FrameTable.ChunkShift;
        }
        NrFrameSlots = baseFrame;
        _nodeOfChunk = [.. chunkNodes];
        Frames = new FrameTable(baseFrame);
        InitCaches();

        int nrCpus = spec.NrCpus;
        _socketOfCpu = new int[nrCpus];
        foreach (var s in spec.Sockets)
            foreach (int c in s.Cpus) _socketOfCpu[c] = s.Id;

        _fallback = new int[NrNodes][];
        _demotionTarget = new int[NrNodes];
        for (int n = 0; n < NrNodes; n++)
        {
            int from = n;
            _fallback[n] = Enumerable.Range(0, NrNodes).OrderBy(m => spec.Distances[from][m]).ThenBy(m => m).ToArray();
            int tier = spec.Nodes[n].Tier;
            _demotionTarget[n] = Enumerable.Range(0, NrNodes)
                .Where(m => spec.Nodes[m].Tier > tier)
                .OrderBy(m => spec.Nodes[m].Tier).ThenBy(m => spec.Distances[from][m]).ThenBy(m => m)
                .DefaultIfEmpty(-1).First();
        }

        _memcgPages = new ulong[MaxMemcgs * NrNodes];
        _nrActive = new ulong[NrNodes];
        _migratedPages = new ulong[NrNodes * NrNodes];
        Swap = new SwapDevice(spec.Swap.CapacityBytes >> PageSizes.PageShift);
        Latency = new LatencyModel(spec);
        _kswapdClockNs = new ulong[NrNodes];
        _kswapdWoken = new bool[NrNodes];
        _hand = new uint[NrNodes];
        for (int n = 0; n < NrNodes; n++) _hand[n] = _nodes[n].BaseFrame;
    }

    public MachineSpec Spec { get; }
    public ulong Seed { get; }
    public int NrNodes { get; }
    /// <summary>Frame numbers in use, holes included ([0, NrFrameSlots)).</summary>
    public uint NrFrameSlots { get; }
    public FrameTable Frames { get; }
    public SwapDevice Swap { get; }
    public LatencyModel Latency { get; }
    /// <summary>Per-page access counts, when enabled (<see cref="EnableGroundTruth"/>).</summary>
    public AccessCounter? GroundTruth { get; private set; }
    /// <summary>Simulated time the background (kswapd, latency windows) has reached.</summary>
    public ulong NowNs { get; private set; }

    public IReadOnlyList<SimProcess> Processes => _procs.Where(p => p is not null).ToList()!;
    public IReadOnlyList<SimThread> Threads => _threads.Where(t => t is not null).ToList()!;
    /// <summary>Threads by tid (slot 0 unused), for the runner's scheduling loop.</summary>
    internal List<SimThread?> ThreadSlots => _threads;

    public NodeFrames Node(int nid) => _nodes[nid];
    public int NodeOfFrame(uint frame) => _nodeOfChunk[frame >> FrameTable.ChunkShift];
    public int SocketOfCpu(int cpu) => _socketOfCpu[cpu];
    public int LocalNodeOfCpu(int cpu) => Spec.Sockets[_socketOfCpu[cpu]].Node;
    /// <summary>The node reclaim demotes <paramref name="nid"/>'s pages to, or -1 (lowest tier).</summary>
    public int DemotionTarget(int nid) => _demotionTarget[nid];
    /// <summary>Nodes in order of distance from <paramref name="nid"/> (the zonelist).</summary>
    public ReadOnlySpan<int> FallbackOrder(int nid) => _fallback[nid];

    public SimProcess Process(int pid) =>
        pid > 0 && pid < _procs.Count && _procs[pid] is { } p ? p : throw new ArgumentException($"no process with pid {pid}", nameof(pid));
    public SimProcess? TryGetProcess(int pid) => pid > 0 && pid < _procs.Count ? _procs[pid] : null;
    public SimThread Thread(int tid) =>
        tid > 0 && tid < _threads.Count && _threads[tid] is { } t ? t : throw new ArgumentException($"no thread with tid {tid}", nameof(tid));

    public ulong NodeTotalBytes(int nid) => (ulong)_nodes[nid].NrFrames << PageSizes.PageShift;
    public ulong NodeFreeBytes(int nid) => _nodes[nid].NrFree << PageSizes.PageShift;
    public ulong NodeUsedBytes(int nid) => _nodes[nid].NrUsed << PageSizes.PageShift;

    /// <summary>Pages migrated from <paramref name="src"/> to <paramref name="dst"/> so far.</summary>
    public ulong MigratedPages(int src, int dst) => _migratedPages[src * NrNodes + dst];
    public ulong NrPromotedPages { get; private set; }
    public ulong NrDemotedPages { get; private set; }

    /// <summary>Physical address range of a node's memory ("System RAM" of that node).</summary>
    public (ulong Start, ulong End) NodePhysRange(int nid) =>
        ((ulong)_nodes[nid].BaseFrame << PageSizes.PageShift, (ulong)_nodes[nid].EndFrame << PageSizes.PageShift);

    /// <summary>From the first to the last byte of System RAM (damon_set_region_system_rams_default).</summary>
    public (ulong Start, ulong End) SystemRamRange() => (NodePhysRange(0).Start, NodePhysRange(NrNodes - 1).End);

    public void EnableGroundTruth()
    {
        if (GroundTruth is not null)
            return;
        GroundTruth = _parkedGroundTruth ?? new AccessCounter(Frames);
        _parkedGroundTruth = null;
    }

    /// <summary>
    /// Stop counting and drop the counts; <see cref="EnableGroundTruth"/> starts from zero again. The
    /// arrays are kept, zeroed, for that (2 B per page, 512 MiB at 1 TiB: not reallocated per window).
    /// </summary>
    public void DisableGroundTruth()
    {
        if (GroundTruth is not { } gt)
            return;
        gt.Restart();
        _parkedGroundTruth = gt;
        GroundTruth = null;
    }

    private AccessCounter? _parkedGroundTruth;

    internal byte MemcgIndexOf(ulong memcgId)
    {
        int i = _memcgIds.IndexOf(memcgId);
        if (i >= 0) return (byte)i;
        if (_memcgIds.Count >= MaxMemcgs)
            throw new SimulationException($"memcg {memcgId}: at most {MaxMemcgs} memcgs are supported");
        _memcgIds.Add(memcgId);
        return (byte)(_memcgIds.Count - 1);
    }

    public ulong MemcgIdOfIndex(byte idx) => _memcgIds[idx];

    // IWorkloadHost

    public int CreateProcess(string name, ulong memcgId = 0)
    {
        if (_procs.Count > ushort.MaxValue)
            throw new SimulationException($"at most {ushort.MaxValue} processes are supported");
        int pid = _procs.Count;
        _procs.Add(new SimProcess(pid, name, MemcgIndexOf(memcgId), memcgId));
        return pid;
    }

    public int CreateThread(int pid, int cpu)
    {
        var p = Process(pid);
        if (cpu < 0 || cpu >= _socketOfCpu.Length)
            throw new SimulationException($"pid {pid}: CPU {cpu} does not exist (the machine has CPUs 0..{_socketOfCpu.Length - 1})");
        int tid = _threads.Count;
        var th = new SimThread(tid, p, cpu, _socketOfCpu[cpu]) { ClockNs = NowNs, NodeAccesses = new ulong[NrNodes] };
        AttachTlb(th);
        InitPebsCounters(th);
        _threads.Add(th);
        return tid;
    }

    public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null)
    {
        var p = Process(pid);
        if (sizeBytes == 0)
            throw new SimulationException($"pid {pid}: mmap of 0 bytes");
        // Rounding up to pages would wrap to 0; Linux's PAGE_ALIGN check fails such a length too.
        if (sizeBytes > ulong.MaxValue - (PageSizes.PageSize - 1))
            throw new SimulationException($"pid {pid}: mmap of {sizeBytes} bytes: larger than the address space");
        policy ??= MemPolicy.Default;
        ValidatePolicy(policy, pid);
        ulong size = (sizeBytes + PageSizes.PageSize - 1) & ~(PageSizes.PageSize - 1);
        return p.AddMmap(size, flags, policy).Start;
    }

    private void ValidatePolicy(MemPolicy policy, int pid)
    {
        if (policy.Mode == MemPolicyMode.Default)
            return;
        if (policy.Nodes.Length == 0)
            throw new SimulationException($"pid {pid}: memory policy {policy.Mode} needs at least one node");
        foreach (int n in policy.Nodes)
            if (n < 0 || n >= NrNodes)
                throw new SimulationException($"pid {pid}: memory policy names node {n}, which does not exist");
        if (policy.Mode == MemPolicyMode.WeightedInterleave && policy.Weights is { } w && w.Length != policy.Nodes.Length)
            throw new SimulationException($"pid {pid}: weighted interleave needs one weight per node");
    }

    /// <summary>mbind: set the memory policy of [addr, addr + len); pages already there stay where they are.</summary>
    public void SetPolicy(int pid, ulong addr, ulong sizeBytes, MemPolicy policy)
    {
        var p = Process(pid);
        ValidatePolicy(policy, pid);
        ulong end = (addr + sizeBytes + PageSizes.PageSize - 1) & ~(PageSizes.PageSize - 1);
        foreach (var v in p.VmasIn(addr & ~(PageSizes.PageSize - 1), end, split: true))
            v.Policy = policy;
    }

    public ulong Brk(int pid, ulong growBytes)
    {
        var p = Process(pid);
        var heap = p.Heap;
        ulong start = heap.End;
        ulong grow = (growBytes + PageSizes.PageSize - 1) & ~(PageSizes.PageSize - 1);
        ulong next = p.Vmas.Where(v => v.Start >= heap.End && v != heap).Select(v => v.Start).DefaultIfEmpty(ulong.MaxValue).Min();
        if (heap.End + grow > next)
            throw new SimulationException($"pid {pid}: brk by {growBytes} bytes runs into the mapping at 0x{next:x}");
        heap.End += grow;
        return start;
    }

    public void Munmap(int pid, ulong addr, ulong sizeBytes)
    {
        var p = Process(pid);
        ulong start = addr & ~(PageSizes.PageSize - 1);
        ulong end = (addr + sizeBytes + PageSizes.PageSize - 1) & ~(PageSizes.PageSize - 1);
        foreach (var v in p.VmasIn(start, end, split: true))
        {
            UnmapRange(p, v.Start, v.End, v.IsAnon);
            p.Remove(v);
        }
    }

    /// <summary>The process exits: its memory is freed; vaddr's target_valid turns false.</summary>
    public void KillProcess(int pid)
    {
        var p = Process(pid);
        foreach (var v in p.Vmas.ToList())
        {
            UnmapRange(p, v.Start, v.End, v.IsAnon);
            p.Remove(v);
        }
        p.Alive = false;
        foreach (var t in _threads)
            if (t is not null && t.Process == p) t.Finished = true;
    }

    /// <summary>
    /// Remove the pages of [start, end): anonymous pages and swap slots are freed; page cache stays
    /// resident but unmapped, as after munmap of a file mapping.
    /// </summary>
    private void UnmapRange(SimProcess p, ulong start, ulong end, bool anon)
    {
        var pt = p.PageTable;
        for (ulong vp = start >> PageSizes.PageShift; vp < end >> PageSizes.PageShift;)
        {
            var leaf = pt.Leaf(vp >> PageTable.LeafShift);
            if (leaf is null)
            {
                vp = ((vp >> PageTable.LeafShift) + 1) << PageTable.LeafShift;
                continue;
            }
            uint e = leaf[vp & (PageTable.LeafSize - 1)];
            if (e != 0)
            {
                if (e >= PageTable.SwapBit)
                {
                    Swap.Free(e & ~PageTable.SwapBit);
                }
                else
                {
                    uint frame = e - 1;
                    uint head = Frames.FolioHead(frame);
                    if (head != frame || Frames.FolioNrPages(frame) > 1)
                    {
                        ulong headVp = Frames.OwnerVpage(head);
                        if (headVp < start >> PageSizes.PageShift || headVp + PageSizes.ThpPages > end >> PageSizes.PageShift)
                            SplitThp(head);
                    }
                    head = Frames.FolioHead(frame);
                    uint nr = Frames.FolioNrPages(head);
                    for (uint i = 0; i < nr; i++)
                        pt.Set(Frames.OwnerVpage(head + i), 0);
                    if (anon)
                        FreeFolio(head);
                    else
                        UnmapFolio(head);
                    vp++;
                    continue;
                }
                leaf[vp & (PageTable.LeafSize - 1)] = 0;
                pt.NoteWrite();
            }
            vp++;
        }
    }
}
