namespace Damon.Sim.Machine;

/// <summary>
/// Access latency by (socket, node, read/write) under load. Idle latency is the node's, scaled by
/// distance from the socket's node relative to the node's nearest socket (so a CXL node reads at
/// its stated 220 ns from its host socket, and a remote-socket DRAM node at 90 ns × 21/10). Load
/// multiplies it: each window, the bytes a node served give its utilisation ρ (with
/// <c>loaded_latency.follow_load</c>, the bytes and the latency they were served at:
/// <see cref="UtilizationEstimate"/>), smoothed, and the multiplier 1 + ρ/(1−ρ) applies until the
/// next window.
/// </summary>
public sealed class LatencyModel
{
    private readonly MachineSpec _spec;
    private readonly double[] _idleNs;
    private readonly double[] _rho;
    internal readonly ulong[] WindowBytes;
    private ulong _windowStartNs;
    private readonly int _nrNodes;

    /// <summary>[(socket·nodes + node)·2 + write] → ns, recomputed each window.</summary>
    internal readonly uint[] Table;

    public LatencyModel(MachineSpec spec)
    {
        _spec = spec;
        _nrNodes = spec.Nodes.Count;
        int nrSockets = spec.Sockets.Count;
        _idleNs = new double[nrSockets * _nrNodes * 2];
        Table = new uint[_idleNs.Length];
        _rho = new double[_nrNodes];
        WindowBytes = new ulong[_nrNodes];
        for (int n = 0; n < _nrNodes; n++)
        {
            int nearest = spec.Sockets.Min(s => spec.Distances[s.Node][n]);
            foreach (var s in spec.Sockets)
            {
                double scale = (double)spec.Distances[s.Node][n] / nearest;
                int i = (s.Id * _nrNodes + n) * 2;
                _idleNs[i] = spec.Nodes[n].ReadLatencyNs * scale;
                _idleNs[i + 1] = spec.Nodes[n].WriteLatencyNs * scale;
            }
        }
        Recompute();
    }

    public uint AccessBytes => _spec.LoadedLatency.AccessBytes;

    /// <summary>Smoothed bandwidth utilisation of a node (0..1+).</summary>
    public double Utilization(int nid) => _rho[nid];

    public double Multiplier(int nid) => _spec.LoadedLatency.Multiplier(_rho[nid]);

    /// <summary>Current latency of an access from <paramref name="socket"/> to <paramref name="nid"/>.</summary>
    public uint LatencyNs(int socket, int nid, bool write) => Table[(socket * _nrNodes + nid) * 2 + (write ? 1 : 0)];

    public uint IdleLatencyNs(int socket, int nid, bool write) => (uint)Math.Round(_idleNs[(socket * _nrNodes + nid) * 2 + (write ? 1 : 0)]);

    /// <summary>Account bytes moved by migration (both ends use bandwidth).</summary>
    internal void AddBytes(int nid, ulong bytes) => WindowBytes[nid] += bytes;

    /// <summary>Close the window if <paramref name="nowNs"/> has passed its end.</summary>
    internal void Tick(ulong nowNs)
    {
        var ll = _spec.LoadedLatency;
        ulong windowNs = ll.WindowUs * 1000;
        if (nowNs < _windowStartNs + windowNs)
            return;
        double elapsed = nowNs - _windowStartNs;
        for (int n = 0; n < _nrNodes; n++)
        {
            // GB/s is bytes per ns.
            double util = WindowBytes[n] / (_spec.Nodes[n].BandwidthGBps * elapsed);
            _rho[n] = (1 - ll.Smoothing) * _rho[n] + ll.Smoothing * UtilizationEstimate(ll, util, _rho[n]);
            WindowBytes[n] = 0;
        }
        _windowStartNs = nowNs;
        Recompute();
    }

    /// <summary>
    /// The utilisation a window's traffic implies under the M/M/1 form, from its occupancy (Little's
    /// law): the window served <paramref name="util"/> at the multiplier its latency carried, so it
    /// held n = util × multiplier requests on average, and M/M/1 holds n = ρ/(1−ρ) at utilisation
    /// ρ = n/(1+n) (with <see cref="LoadedLatencySpec.FollowLoad"/>). Taking the served utilisation itself (util), as without it, makes the estimate a
    /// one-window-late copy of a load that falls when latency rises: threads that wait on memory
    /// issue less after a slow window and more after a fast one, and at DRAM's ρ ≈ 0.9 that feedback
    /// has a gain of about −7 per window, so ρ alternated between the 0.95 cap and ~0.6 and the mean
    /// latency missed the steady state's (docs/results/bandwidth.md, "The simulator's gap"). The
    /// occupancy form has the same fixed point (ρ = util when the multiplier is 1/(1−ρ)) and, for a
    /// closed population of threads, a gain in [0, 1), so it settles. With loaded latency off the
    /// multiplier says nothing and the served utilisation is the estimate.
    /// </summary>
    internal static double UtilizationEstimate(LoadedLatencySpec ll, double util, double rho)
    {
        if (!ll.Enabled || !ll.FollowLoad) return util;
        double occupancy = util * ll.Multiplier(rho);
        return occupancy / (1 + occupancy);
    }

    private void Recompute()
    {
        for (int i = 0; i < Table.Length; i++)
        {
            int node = (i >> 1) % _nrNodes;
            Table[i] = (uint)Math.Max(1, Math.Round(_idleNs[i] * Multiplier(node)));
        }
    }
}
