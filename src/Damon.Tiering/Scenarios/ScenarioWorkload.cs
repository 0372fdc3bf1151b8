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

    /// <summary>Runs every move due at <paramref name="nowUs"/>, part by part in file order; returns the pages moved.</summary>
    public ulong ApplyMoves(SimMachine m, ulong nowUs)
    {
        ulong moved = 0;
        foreach (var p in Parts)
            foreach (var mv in p.Moves)
                if (mv.AtUs == nowUs) moved += p.MigrateTo(m, mv.Node);
        return moved;
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
