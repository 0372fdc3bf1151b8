using Damon.Sim.Machine;
using Damon.Sim.Workloads;

namespace Damon.Tiering.Scenarios;

/// <summary>
/// A scenario file's workloads as one program: <see cref="Root"/> is what runs (one part alone, or
/// the parts side by side as separate processes, behind the cold pre-fill if there is one); the
/// harness reads the <see cref="Parts"/> for their page moves and hot sets. Setup and batches go
/// straight to <see cref="Root"/> with the caller's host.
/// </summary>
public sealed class ScenarioWorkload(IWorkload root, IReadOnlyList<ScenarioPart> parts) : IWorkload
{
    public IWorkload Root { get; } = root;
    public IReadOnlyList<ScenarioPart> Parts { get; } = parts;

    public string Name => Root.Name;

    public void Setup(IWorkloadHost host) => Root.Setup(host);

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs) =>
        Root.NextBatch(host, tid, nowNs, batch, out computeNs);

    /// <summary>Times of the page moves, ascending, without repeats.</summary>
    public IReadOnlyList<ulong> MoveTimesUs() => Parts.SelectMany(p => p.Moves).Select(mv => mv.AtUs).Distinct().Order().ToList();

    private ulong[,]? _moved;

    /// <summary>Pages the scenario's own moves took from <paramref name="src"/> to <paramref name="dst"/> (not a policy's migrations).</summary>
    public ulong MovedPages(int src, int dst) => _moved is null ? 0 : _moved[src, dst];

    /// <summary>Turns membind and moves off (the all-fast baseline); call before Setup.</summary>
    public void TurnPlacementOff()
    {
        foreach (var p in Parts) p.PlacementOff = true;
    }

    /// <summary>Gives every part THP mode <paramref name="mode"/> whatever its file says; call before Setup.</summary>
    public void SetThpMode(ThpMode mode)
    {
        foreach (var p in Parts) p.Thp = mode;
    }

    /// <summary>Runs every move due at <paramref name="nowUs"/>, part by part in file order.</summary>
    public void ApplyMoves(SimMachine m, ulong nowUs)
    {
        _moved ??= new ulong[m.NrNodes, m.NrNodes];
        var from = new ulong[m.NrNodes];
        foreach (var p in Parts)
            foreach (var mv in p.Moves)
            {
                if (mv.AtUs != nowUs) continue;
                Array.Clear(from);
                p.MigrateTo(m, mv.Node, from);
                for (int src = 0; src < from.Length; src++) _moved[src, mv.Node] += from[src];
            }
    }

    /// <summary>The parts' declared hot ranges, or null when no part declares one.</summary>
    public IReadOnlyList<(int Pid, ulong Start, ulong End)>? HotRanges(ulong nowNs)
    {
        List<(int, ulong, ulong)>? all = null;
        foreach (var p in Parts)
            if (HotSet.Of(p.Inner, nowNs) is { } r) (all ??= []).AddRange(r);
        return all;
    }
}
