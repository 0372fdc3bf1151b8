using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Harness;

/// <summary>
/// The accessor scenarios' extra results (docs/numa-tpp.md, "Results"): how many of the
/// application's accesses a node not local to the accessing CPU's socket served, how much of each
/// declared region (<see cref="IAccessorRegions"/>) sits on its socket's node, and the fight
/// between movers: pages seen moving between two socket (DRAM) nodes more than once, and the
/// policy's migration traffic per node pair (the scenario's own moves left out).
/// </summary>
public sealed class AccessorMeter
{
    private readonly IReadOnlyList<AccessorRegion> _regions;
    private readonly List<SimThread> _app;
    private readonly int[] _socketNodes;
    private readonly List<(ulong Us, ulong Local, ulong Remote)> _marks = [];
    // Per page (pid, vpage): the socket node it was last seen on and its moves between socket nodes.
    private readonly Dictionary<ulong, (byte Node, byte Moves)> _seen = [];
    private ulong _pingPong;

    private AccessorMeter(IReadOnlyList<AccessorRegion> regions, List<SimThread> app, SimMachine m)
    {
        _regions = regions;
        _app = app;
        _socketNodes = [.. m.Spec.Sockets.Select(s => s.Node).Distinct()];
    }

    /// <summary>A meter when a part of the scenario declares accessor regions, else null.</summary>
    public static AccessorMeter? For(ScenarioWorkload? sw, List<SimThread> app, SimMachine m)
    {
        var regions = sw?.Parts.Select(p => p.Inner).OfType<IAccessorRegions>().SelectMany(w => w.AccessorRegions).ToList();
        return regions is { Count: > 0 } ? new AccessorMeter(regions, app, m) : null;
    }

    /// <summary>At a harness step: the cumulative local and remote accesses, and the socket-node placement of every page.</summary>
    public void Sample(SimMachine m, ulong nowUs)
    {
        var (local, remote) = Count(m);
        _marks.Add((nowUs, local, remote));
        foreach (int nid in _socketNodes)
            foreach (uint head in FramePages.MappedFolios(m, nid))
            {
                ulong key = FramePages.PageKey(m, head);
                if (!_seen.TryGetValue(key, out var s)) { _seen[key] = ((byte)nid, 0); continue; }
                if (s.Node == nid) continue;
                byte moves = (byte)Math.Min(s.Moves + 1, 255);
                if (moves == 2) _pingPong++;
                _seen[key] = ((byte)nid, moves);
            }
    }

    private (ulong Local, ulong Remote) Count(SimMachine m)
    {
        ulong local = 0, remote = 0;
        foreach (var t in _app)
        {
            ulong l = t.NodeAccesses[m.LocalNodeOfCpu(t.Cpu)];
            local += l;
            remote += t.NrAccesses - l;
        }
        return (local, remote);
    }

    public AccessorResult Finish(SimMachine m, ScenarioWorkload? sw, ulong nowUs)
    {
        var (local, remote) = Count(m);
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
                migrated[src][dst] = TieringRun.PolicyMigratedPages(m, sw, src, dst) << PageSizes.PageShift;
                if (_socketNodes.Contains(src) && _socketNodes.Contains(dst)) dramToDram += migrated[src][dst];
            }
        }
        return new AccessorResult(
            Ratio(remote, local + remote),
            Ratio(dr, dl + dr),
            regions.Count == 0 ? 0 : regions.Min(r => r.Ratio),
            regions,
            _pingPong,
            dramToDram,
            migrated);
    }

    private static double Ratio(ulong part, ulong all) => all == 0 ? 0 : (double)part / all;
}

/// <param name="RemoteAccessRatio">Share of the application's accesses served by a node not local to the accessing CPU's socket, over the whole run.</param>
/// <param name="RemoteAccessRatioSettled">The same over the second half of the run's simulated time.</param>
/// <param name="BytesOnAccessorNodeRatio">The smallest over the regions of (bytes on the region's socket node / region bytes), at the end.</param>
/// <param name="SocketPingPongPages">Pages seen moving between two socket (DRAM) nodes more than once, at the harness's steps.</param>
/// <param name="SocketMigratedBytes">Bytes the policy moved between two socket nodes, either way.</param>
/// <param name="MigratedBytes">[source node][destination node] bytes the policy (and the kernel) moved.</param>
public sealed record AccessorResult(
    double RemoteAccessRatio,
    double RemoteAccessRatioSettled,
    double BytesOnAccessorNodeRatio,
    IReadOnlyList<AccessorRegionResult> Regions,
    ulong SocketPingPongPages,
    ulong SocketMigratedBytes,
    ulong[][] MigratedBytes);

public sealed record AccessorRegionResult(string Name, int Socket, int Node, ulong Bytes, ulong BytesOnAccessorNode)
{
    public double Ratio => Bytes == 0 ? 0 : (double)BytesOnAccessorNode / Bytes;
}
