using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Memtierd;

/// <summary>
/// memtierd's <c>heat</c> policy with the idle-page tracker, as intel/memtierd's
/// pkg/memtier (policy_heat.go, counters_heatmap.go, mover.go) does it: every policy interval each
/// range's heat becomes its accessed pages since the last scan plus the old heat times the retention
/// over the time since its last update, capped at HeatMax; heat is quantised into classes, each
/// class mapped to a node. New moves are planned only when the mover has no task left
/// (startMovesFillFastFree): ranges hottest first, each one not recorded on its class's node
/// becomes a task and is recorded there (a range never seen is looked up: the node of its last
/// present page). The mover pops the last task first — so the coldest moves go first — and moves
/// at most Bandwidth MiB/s × IntervalMs of that one task's pages per interval, pages already on the
/// destination included.
/// </summary>
public sealed class MemtierdHeatPolicy(MemtierdHeatParams? p = null) : TieringPolicyBase
{
    private readonly Dictionary<ulong, double> _heat = [];   // (pid, range index) → heat
    // The mover's task list, popped from the end; a task not done goes back at the end.
    private readonly List<MoverTask> _tasks = [];
    // addrDatas: the node a range was last recorded on.
    private readonly Dictionary<ulong, int> _rangeNode = [];
    // Per-scan working sets, kept across scans so a scan allocates only when the footprint grows.
    private readonly Dictionary<ulong, int> _accessed = [];
    private readonly Dictionary<ulong, int> _lastNode = [];
    private readonly List<(ulong Range, double Heat)> _plan = [];
    private readonly List<ulong> _keys = [];
    private ulong _nextTrackUs, _nextMoveUs, _lastTrackUs;

    private sealed class MoverTask(ulong range, int dst)
    {
        public ulong Range { get; } = range;
        public int Dst { get; } = dst;
        /// <summary>Index of the first present page still to be moved.</summary>
        public int Offset { get; set; }
    }

    public MemtierdHeatParams Params { get; } = p ?? new MemtierdHeatParams();
    public override string Name => "memtierd-heat";
    public override ulong TickIntervalUs => Params.MoverIntervalMs * 1000;
    public override bool NeedsGroundTruth => true;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach() => Machine.EnableGroundTruth();

    public double HeatOf(int pid, ulong rangeIndex) => _heat.TryGetValue(((ulong)pid << 40) | rangeIndex, out double h) ? h : 0;

    /// <summary>Heatmap.HeatClass.</summary>
    public int ClassOf(double heat) => Math.Min(Params.HeatClasses - 1, (int)(heat / Params.HeatMax * Params.HeatClasses));

    /// <summary>Mover tasks not yet done.</summary>
    public int TaskCount => _tasks.Count;

    protected override void OnTick(ulong nowUs)
    {
        if (nowUs >= _nextTrackUs)
        {
            _nextTrackUs = nowUs + Params.TrackerIntervalMs * 1000;
            Track(nowUs);
        }
        if (nowUs >= _nextMoveUs)
        {
            _nextMoveUs = nowUs + Params.MoverIntervalMs * 1000;
            Move();
        }
    }

    private ulong RangeOf(uint frame)
    {
        ulong key = FramePages.PageKey(Machine, frame);
        return (key & ~((1UL << 40) - 1)) | (FramePages.VpageOfKey(key) / Params.RangePages);
    }

    private void Track(ulong nowUs)
    {
        var w = Machine.GroundTruth!.CloseWindow(nowUs * 1000);
        double retention = Math.Pow(0.5, (nowUs - _lastTrackUs) / 1000.0 / Params.HalfLifeMs);
        _lastTrackUs = nowUs;
        _accessed.Clear();
        _lastNode.Clear();
        foreach (int nid in new[] { Nodes.Fast, Nodes.Slow })
            foreach (uint head in FramePages.MappedFolios(Machine, nid))
            {
                uint nr = Machine.Frames.FolioNrPages(head);
                for (uint i = 0; i < nr; i++)
                {
                    ulong range = RangeOf(head + i);
                    if (w.Count(head + i) > 0)
                        _accessed[range] = _accessed.GetValueOrDefault(range) + 1;
                    _lastNode.TryAdd(range, nid);
                }
            }
        Machine.GroundTruth.Recycle(w);
        _keys.Clear();
        _keys.AddRange(_heat.Keys);
        foreach (var k in _keys)
            _heat[k] = Math.Min(Params.HeatMax, _heat[k] * retention + Math.Min(Params.HeatMax, _accessed.GetValueOrDefault(k)));
        foreach (var (range, n) in _accessed)
            _heat.TryAdd(range, Math.Min(Params.HeatMax, n));
        if (_tasks.Count == 0)
            StartMoves();
    }

    /// <summary>startMovesFillFastFree with no NumaSize limits.</summary>
    private void StartMoves()
    {
        _plan.Clear();
        foreach (var range in _lastNode.Keys)
            _plan.Add((range, _heat.GetValueOrDefault(range)));
        // Hottest first, equal heat in address order (pids in order: the Go map's order is random).
        _plan.Sort((a, b) => b.Heat != a.Heat ? b.Heat.CompareTo(a.Heat) : a.Range.CompareTo(b.Range));
        foreach (var (range, heat) in _plan)
        {
            int dst = ClassOf(heat) >= Params.FastFromClass ? Nodes.Fast : Nodes.Slow;
            if (!_rangeNode.TryGetValue(range, out int node))
                node = LastPresentNode(range);
            if (node == dst || node < 0) continue;
            _tasks.Add(new MoverTask(range, dst));
            _rangeNode[range] = dst;
        }
    }

    /// <summary>The node of the range's last present page, or −1 when none is present.</summary>
    private int LastPresentNode(ulong range)
    {
        var p = Machine.TryGetProcess(FramePages.PidOfKey(range));
        if (p is null) return -1;
        ulong first = FramePages.VpageOfKey(range) * Params.RangePages;
        for (ulong vp = first + Params.RangePages; vp-- > first;)
        {
            uint e = p.PageTable.Get(vp);
            if (e != 0 && e < PageTable.SwapBit) return Machine.NodeOfFrame(e - 1);
        }
        return -1;
    }

    /// <summary>Mover.handleTask on the last task: the next count present pages of its range.</summary>
    private void Move()
    {
        if (_tasks.Count == 0) return;
        var task = _tasks[^1];
        _tasks.RemoveAt(_tasks.Count - 1);
        // count = (Bandwidth MiB/s in pages) × IntervalMs / 1000, in integers as mover.go has it.
        int count = (int)(Params.MoverMBps * (1UL << 20) / PageSizes.PageSize * Params.MoverIntervalMs / 1000);
        var p = Machine.TryGetProcess(FramePages.PidOfKey(task.Range));
        if (p is null || count == 0) return;
        ulong first = FramePages.VpageOfKey(task.Range) * Params.RangePages;
        int index = 0, end = task.Offset + count;
        bool more = false;
        for (ulong vp = first; vp < first + Params.RangePages; vp++)
        {
            uint e = p.PageTable.Get(vp);
            if (e == 0 || e >= PageTable.SwapBit) continue;
            if (index >= end) { more = true; break; }
            if (index++ < task.Offset) continue;
            uint frame = e - 1;
            if (Machine.NodeOfFrame(frame) != task.Dst && (task.Dst != Nodes.Fast || Machine.Node(Nodes.Fast).NrFree > 0))
                MigrateAsync(frame, task.Dst);
        }
        task.Offset = end;
        if (more) _tasks.Add(task);
    }
}
