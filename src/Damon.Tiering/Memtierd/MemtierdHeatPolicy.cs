using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Memtierd;

/// <summary>
/// memtierd's <c>heat</c> policy with the idle-page tracker (tiering.md §2.15): every tracker
/// interval each range's heat decays by 2^(−dt/half-life) and gains the number of its pages accessed
/// since the last scan; heat is quantised into classes, each class mapped to a node; the mover
/// moves pages of misplaced ranges in the background, at most MoverMBps, every mover interval,
/// demotions first so promotions find room.
/// </summary>
public sealed class MemtierdHeatPolicy(MemtierdHeatParams? p = null) : TieringPolicyBase
{
    private readonly Dictionary<ulong, double> _heat = [];   // (pid, range index) → heat
    private readonly Queue<(ulong Range, int Dst)> _moves = new();
    // Per-scan working sets, kept across scans so a scan allocates only when the footprint grows.
    private readonly Dictionary<ulong, int> _accessed = [];
    private readonly Dictionary<ulong, (int Fast, int Slow)> _placement = [];
    private readonly List<ulong> _keys = [], _demote = [];
    private readonly List<(ulong Range, double Heat)> _promote = [];
    private ulong _nextTrackUs, _nextMoveUs, _lastTrackUs;

    public MemtierdHeatParams Params { get; } = p ?? new MemtierdHeatParams();
    public override string Name => "memtierd-heat";
    public override ulong TickIntervalUs => Params.MoverIntervalMs * 1000;
    public override bool NeedsGroundTruth => true;

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach() => Machine.EnableGroundTruth();

    public double HeatOf(int pid, ulong rangeIndex) => _heat.TryGetValue(((ulong)pid << 40) | rangeIndex, out double h) ? h : 0;

    public int ClassOf(double heat) => Math.Min(Params.HeatClasses - 1, (int)(heat / Params.HeatMax * Params.HeatClasses));

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

    private void Track(ulong nowUs)
    {
        var w = Machine.GroundTruth!.CloseWindow(nowUs * 1000);
        double decay = Math.Pow(0.5, (nowUs - _lastTrackUs) / 1000.0 / Params.HalfLifeMs);
        _lastTrackUs = nowUs;
        var accessed = _accessed;
        var placement = _placement;
        accessed.Clear();
        placement.Clear();
        foreach (int nid in new[] { Nodes.Fast, Nodes.Slow })
            foreach (uint head in FramePages.MappedFolios(Machine, nid))
            {
                uint nr = Machine.Frames.FolioNrPages(head);
                for (uint i = 0; i < nr; i++)
                {
                    ulong key = FramePages.PageKey(Machine, head + i);
                    ulong range = (key & ~((1UL << 40) - 1)) | (FramePages.VpageOfKey(key) / Params.RangePages);
                    if (w.Count(head + i) > 0)
                        accessed[range] = accessed.GetValueOrDefault(range) + 1;
                    var pl = placement.GetValueOrDefault(range);
                    placement[range] = nid == Nodes.Fast ? (pl.Fast + 1, pl.Slow) : (pl.Fast, pl.Slow + 1);
                }
            }
        Machine.GroundTruth.Recycle(w);
        _keys.Clear();
        _keys.AddRange(_heat.Keys);
        foreach (var k in _keys)
            _heat[k] *= decay;
        foreach (var (range, n) in accessed)
            _heat[range] = _heat.GetValueOrDefault(range) + n;
        _moves.Clear();
        var demote = _demote;
        var promote = _promote;
        demote.Clear();
        promote.Clear();
        foreach (var (range, pl) in placement)
        {
            bool wantFast = ClassOf(_heat.GetValueOrDefault(range)) >= Params.FastFromClass;
            if (wantFast && pl.Slow > 0) promote.Add((range, _heat.GetValueOrDefault(range)));
            else if (!wantFast && pl.Fast > 0) demote.Add(range);
        }
        foreach (var r in demote) _moves.Enqueue((r, Nodes.Slow));
        // Hottest first; equal heat in address order, so the order does not depend on the sort.
        promote.Sort((a, b) => b.Heat != a.Heat ? b.Heat.CompareTo(a.Heat) : a.Range.CompareTo(b.Range));
        foreach (var (r, _) in promote) _moves.Enqueue((r, Nodes.Fast));
    }

    private void Move()
    {
        ulong budget = Params.MoverMBps * 1_000_000 * Params.MoverIntervalMs / 1000;
        ulong moved = 0;
        while (moved < budget && _moves.TryPeek(out var m))
        {
            var p = Machine.TryGetProcess(FramePages.PidOfKey(m.Range));
            ulong first = FramePages.VpageOfKey(m.Range) * Params.RangePages;
            bool done = true;
            for (ulong vp = first; p is not null && vp < first + Params.RangePages; vp++)
            {
                uint e = p.PageTable.Get(vp);
                if (e == 0 || e >= PageTable.SwapBit || Machine.NodeOfFrame(e - 1) == m.Dst) continue;
                if (moved >= budget) { done = false; break; }
                if (m.Dst == Nodes.Fast && Machine.Node(Nodes.Fast).NrFree == 0) { _moves.Clear(); return; }
                moved += (ulong)MigrateAsync(e - 1, m.Dst) << PageSizes.PageShift;
            }
            if (!done) return;
            _moves.Dequeue();
        }
    }
}
