using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Harness;

/// <summary>
/// The accessor scenarios' extra results (docs/numa-tpp.md, "Results"): how many of the
/// application's accesses a node not local to the accessing CPU's socket served, how much of each
/// declared region (<see cref="IAccessorRegions"/>) sits on its socket's node, and the fight
/// between movers: every migration is seen as it happens (<see cref="SimMachine.Migrated"/>) with
/// who asked for it, so the pages that move between two socket (DRAM) nodes more than once are
/// counted exactly (<see cref="PingPongCounter"/>, the tiering rows' definition too) and each is
/// attributed to the movers of its first move and of its move back; and the migration traffic per
/// mover and node pair (the scenario's own moves left out), both from the meter's creation, which
/// <see cref="TieringRun"/> does with the machine, before the policy attaches.
/// </summary>
public sealed class AccessorMeter
{
    private readonly IReadOnlyList<AccessorRegion> _regions;
    private readonly List<SimThread> _app;
    private readonly ITieringPolicy _policy;
    private readonly bool[] _isSocketNode;
    private readonly List<(ulong Us, ulong Local, ulong Remote)> _marks = [];
    private readonly PingPongCounter _socketPingPong;
    private readonly SortedDictionary<string, ulong[]> _migratedBy = new(StringComparer.Ordinal);
    // The policy's migrated pages per node pair when the meter was created: the results count from then.
    private readonly ulong[] _migratedAtStart;
    private readonly SimMachine _m;
    // Pages (pid, vpage) a mover took from a socket node to a CPU-less one, until one brings them back.
    private readonly HashSet<ulong> _demoted = [];
    private ulong _roundTrips;

    private AccessorMeter(IReadOnlyList<AccessorRegion> regions, List<SimThread> app, SimMachine m, ITieringPolicy policy, ScenarioWorkload? sw)
    {
        _regions = regions;
        _app = app;
        _policy = policy;
        _m = m;
        _isSocketNode = new bool[m.NrNodes];
        foreach (var s in m.Spec.Sockets) _isSocketNode[s.Node] = true;
        _socketPingPong = new PingPongCounter(m, policy, m.Spec.Sockets.Select(s => s.Node));
        _migratedAtStart = new ulong[m.NrNodes * m.NrNodes];
        for (int src = 0; src < m.NrNodes; src++)
            for (int dst = 0; dst < m.NrNodes; dst++)
                if (src != dst) _migratedAtStart[src * m.NrNodes + dst] = TieringRun.PolicyMigratedPages(m, sw, src, dst);
        m.Migrated += OnMigrated;
    }

    /// <summary>A meter when a part of the scenario declares accessor regions, else null; it watches <paramref name="m"/>'s migrations from now on, and its results count from now.</summary>
    public static AccessorMeter? For(ScenarioWorkload? sw, List<SimThread> app, SimMachine m, ITieringPolicy policy)
    {
        var regions = sw?.Parts.Select(p => p.Inner).OfType<IAccessorRegions>().SelectMany(w => w.AccessorRegions).ToList();
        return regions is { Count: > 0 } ? new AccessorMeter(regions, app, m, policy, sw) : null;
    }

    private void OnMigrated(FolioMigration e)
    {
        string by = MoverNames.Of(e.By, _policy);
        _socketPingPong.OnMigrated(e, by);
        if (by == MoverNames.Scenario) return;
        if (!_migratedBy.TryGetValue(by, out var a))
            _migratedBy[by] = a = new ulong[_m.NrNodes * _m.NrNodes];
        a[e.Src * _m.NrNodes + e.Dst] += (ulong)e.NrPages << PageSizes.PageShift;
        ulong key = FramePages.PageKey(_m, e.NewHead);
        if (_isSocketNode[e.Src] != _isSocketNode[e.Dst])
        {
            // Demoted, then promoted again: the demotion/promotion fight.
            if (_isSocketNode[e.Src]) _demoted.Add(key);
            else if (_demoted.Remove(key)) _roundTrips += e.NrPages;
        }
    }

    /// <summary>At a harness step: the cumulative local and remote accesses.</summary>
    public void Sample(SimMachine m, ulong nowUs)
    {
        var (local, remote) = AccessLocality.Count(m, _app);
        _marks.Add((nowUs, local, remote));
    }

    public AccessorResult Finish(SimMachine m, ScenarioWorkload? sw, ulong nowUs)
    {
        m.Migrated -= OnMigrated;
        var (local, remote) = AccessLocality.Count(m, _app);
        // Settled: the second half of the run's simulated time, from the step nearest its middle.
        var from = _marks.FirstOrDefault(x => x.Us >= nowUs / 2, (Us: nowUs, Local: local, Remote: remote));
        ulong dl = local - from.Local, dr = remote - from.Remote;
        var regions = _regions.Select(r =>
        {
            int node = m.Spec.Sockets[r.Socket].Node;
            ulong on = 0;
            for (ulong a = r.Start; a < r.Start + r.Bytes; a += PageSizes.PageSize)
                if (m.TryTranslate(r.Pid, a, out uint f) && m.NodeOfFrame(f) == node)
                    on += PageSizes.PageSize;
            return new AccessorRegionResult(r.Name, r.Socket, node, r.Bytes, on);
        }).ToList();
        int n = m.NrNodes;
        var migrated = new ulong[n][];
        ulong dramToDram = 0;
        for (int src = 0; src < n; src++)
        {
            migrated[src] = new ulong[n];
            for (int dst = 0; dst < n; dst++)
            {
                if (src == dst) continue;
                migrated[src][dst] = (TieringRun.PolicyMigratedPages(m, sw, src, dst) - _migratedAtStart[src * n + dst]) << PageSizes.PageShift;
                if (_isSocketNode[src] && _isSocketNode[dst]) dramToDram += migrated[src][dst];
            }
        }
        return new AccessorResult(
            Ratio(remote, local + remote),
            Ratio(dr, dl + dr),
            regions.Count == 0 ? 0 : regions.Min(r => r.Ratio),
            regions,
            _socketPingPong.Pages,
            dramToDram,
            migrated,
            _socketPingPong.By,
            _roundTrips,
            _migratedBy.ToDictionary(kv => kv.Key, kv => ToMatrix(kv.Value, n)));
    }

    private static ulong[][] ToMatrix(ulong[] flat, int n) =>
        [.. Enumerable.Range(0, n).Select(src => flat.AsSpan(src * n, n).ToArray())];

    private static double Ratio(ulong part, ulong all) => all == 0 ? 0 : (double)part / all;
}

/// <param name="RemoteAccessRatio">Share of the application's accesses served by a node not local to the accessing CPU's socket, over the whole run.</param>
/// <param name="RemoteAccessRatioSettled">The same over the second half of the run's simulated time.</param>
/// <param name="BytesOnAccessorNodeRatio">The smallest over the regions of (bytes on the region's socket node / region bytes), at the end.</param>
/// <param name="SocketPingPongPages">Pages that moved between two socket (DRAM) nodes more than once (<see cref="PingPongCounter"/>).</param>
/// <param name="SocketMigratedBytes">Bytes the policy moved between two socket nodes, either way.</param>
/// <param name="MigratedBytes">[source node][destination node] bytes the policy (and the kernel) moved since the meter was created (in <see cref="TieringRun"/>: since the machine was).</param>
/// <param name="SocketPingPongBy">The ping-pong pages by "first mover / mover that moved it back" (<see cref="MoverNames"/>); sums to <paramref name="SocketPingPongPages"/>.</param>
/// <param name="DemotedPromotedPages">Pages a mover took from a socket node to a CPU-less node and later back to a socket node.</param>
/// <param name="MigratedBytesBy">Per mover, [source node][destination node] bytes it moved since the same moment; sums to <paramref name="MigratedBytes"/>.</param>
public sealed record AccessorResult(
    double RemoteAccessRatio,
    double RemoteAccessRatioSettled,
    double BytesOnAccessorNodeRatio,
    IReadOnlyList<AccessorRegionResult> Regions,
    ulong SocketPingPongPages,
    ulong SocketMigratedBytes,
    ulong[][] MigratedBytes,
    IReadOnlyDictionary<string, ulong> SocketPingPongBy,
    ulong DemotedPromotedPages,
    IReadOnlyDictionary<string, ulong[][]> MigratedBytesBy);

public sealed record AccessorRegionResult(string Name, int Socket, int Node, ulong Bytes, ulong BytesOnAccessorNode)
{
    public double Ratio => Bytes == 0 ? 0 : (double)BytesOnAccessorNode / Bytes;
}
