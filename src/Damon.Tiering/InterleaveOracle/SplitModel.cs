using Damon.Sim.Machine;

namespace Damon.Tiering.InterleaveOracle;

/// <summary>One split's steady state: time per access and each tier's utilisation and loaded latency.</summary>
public readonly record struct SplitPoint(double SlowShare, double NsPerAccess, double RhoFast, double RhoSlow, double LoadedFastNs, double LoadedSlowNs);

/// <summary>
/// The steady state of the simulator's loaded-latency model (tiering.md §3.1) under a fixed
/// interleave split, as a fluid fixed point: a share s of every thread's memory accesses goes to
/// the slow node; each of N threads takes T = other + m·((1−s)·L_f + s·L_s) per access, every node
/// access moving B bytes, so node n is loaded ρ_n = N·m·share_n·B / (T·BW_n) and serves at
/// L_n = L_idle,n·(1 + ρ/(1−ρ)), ρ capped as the model caps it. T is the root of that equation
/// (bisection: the right side falls as T grows). The model's optimum is the s with the least T;
/// Colloid's target is the s where L_f = L_s, which is not the same point (the optimum equalises
/// marginal, not mean, latencies).
/// </summary>
public sealed class SplitModel(MachineSpec spec, int fastNid, int slowNid, SplitLoad load)
{
    /// <summary>The split grid the optimum is searched on: 1/1000 of the accesses.</summary>
    public const uint GridSteps = 1000;

    public SplitLoad Load { get; } = load;

    public SplitPoint Solve(double slowShare)
    {
        var ll = spec.LoadedLatency;
        var f = spec.Nodes[fastNid];
        var s = spec.Nodes[slowNid];
        // Bytes per access a node sees per unit share, over bytes per ns (GB/s); ρ = that / T.
        double bytes = Load.NrThreads * Load.MemoryShare * ll.AccessBytes;
        double kFast = bytes * (1 - slowShare) / f.BandwidthGBps, kSlow = bytes * slowShare / s.BandwidthGBps;
        double Rhs(double t, out double lf, out double ls)
        {
            lf = f.ReadLatencyNs * ll.Multiplier(kFast / t);
            ls = s.ReadLatencyNs * ll.Multiplier(kSlow / t);
            return Load.OtherNsPerAccess + Load.MemoryShare * ((1 - slowShare) * lf + slowShare * ls);
        }
        // At T = lo the right side is above lo (it is at least other + m·L_idle); at hi below.
        double lo = 1e-3, hi = 1e3 + Rhs(1e-3, out _, out _);
        for (int i = 0; i < 100; i++)
        {
            double mid = (lo + hi) / 2;
            if (Rhs(mid, out _, out _) > mid) lo = mid;
            else hi = mid;
        }
        double tNs = (lo + hi) / 2;
        Rhs(tNs, out double lfNs, out double lsNs);
        return new SplitPoint(slowShare, tNs, kFast / tNs, kSlow / tNs, lfNs, lsNs);
    }

    /// <summary>The split with the least time per access on the grid (the smaller share on a tie).</summary>
    public SplitPoint Optimum() => Grid().MinBy(p => p.NsPerAccess);

    /// <summary>The split where the loaded latencies are closest (Colloid's balance point); all-fast when the fast node is faster even then.</summary>
    public SplitPoint Equalising() => Grid().MinBy(p => Math.Abs(p.LoadedFastNs - p.LoadedSlowNs));

    private IEnumerable<SplitPoint> Grid()
    {
        for (uint i = 0; i <= GridSteps; i++) yield return Solve((double)i / GridSteps);
    }
}
