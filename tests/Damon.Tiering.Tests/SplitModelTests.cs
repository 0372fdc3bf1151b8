using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Tiering.Scenarios;
using Damon.Tiering.Harness;
using Damon.Tiering.InterleaveOracle;
using Xunit;

namespace Damon.Tiering.Tests;

public class SplitModelTests
{
    private static MachineSpec Bandwidth() => MachineFile.Load(Path.Combine(ScenarioCatalog.BuiltinDirectory, "bandwidth.machine.json"));

    [Fact]
    public void EightStreamingThreadsHaveTheirOptimumAtAQuarterOnCxl()
    {
        // 8 threads, every access a 1 KiB node access, nothing else: all-fast T = 90 / (1 - 682.7 / T)
        // gives T = 772.7 ns (ρ 0.88); the least T is at 24.3 % on CXL (619.2 ns, 0.801 of all-fast).
        var model = new SplitModel(Bandwidth(), 0, 1, new SplitLoad(8, 0, 1));
        var allFast = model.Solve(0);
        Assert.Equal(772.7, allFast.NsPerAccess, 1);
        Assert.Equal(8 * 1024 / (allFast.NsPerAccess * 12), allFast.RhoFast, 9);
        var best = model.Optimum();
        Assert.Equal(0.243, best.SlowShare, 3);
        Assert.Equal(619.2, best.NsPerAccess, 1);
        // Colloid's balance point is short of it: the optimum leaves the slow node the slower one.
        var eq = model.Equalising();
        Assert.Equal(0.215, eq.SlowShare, 3);
        Assert.True(best.LoadedSlowNs > best.LoadedFastNs);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.125)]
    [InlineData(0.5)]
    public void TheSolutionIsTheModelsFixedPoint(double slowShare)
    {
        var spec = Bandwidth();
        var p = new SplitModel(spec, 0, 1, new SplitLoad(8, 20, 2.0 / 3)).Solve(slowShare);
        var ll = spec.LoadedLatency;
        double rhoF = 8 * (2.0 / 3) * 1024 * (1 - slowShare) / (12 * p.NsPerAccess);
        double lf = 90 * ll.Multiplier(rhoF), ls = 220 * ll.Multiplier(8 * (2.0 / 3) * 1024 * slowShare / (4.333 * p.NsPerAccess));
        Assert.Equal(20 + 2.0 / 3 * ((1 - slowShare) * lf + slowShare * ls), p.NsPerAccess, 6);
        Assert.Equal((rhoF, lf, ls), (p.RhoFast, p.LoadedFastNs, p.LoadedSlowNs), new TupleTolerance(1e-6));
    }

    [Fact]
    public void ALatencyBoundThreadIsBestAllFast()
    {
        // One thread with 200 ns of compute: DRAM at ρ ≈ 0.3 stays faster than idle CXL.
        var model = new SplitModel(Bandwidth(), 0, 1, new SplitLoad(1, 200, 1));
        Assert.Equal(0.0, model.Optimum().SlowShare);
        Assert.Equal(0.0, model.Equalising().SlowShare);
        Assert.InRange(model.Solve(0).LoadedFastNs, 90, 220);
    }

    [Fact]
    public void TheSimulatorRunsAtTheModelsSteadyStateUnderASplit()
    {
        // (a)'s eight row workers for 0.5 s under 3:1 interleaving. The model, calibrated from the
        // same 0.5 s all-fast, puts DRAM at ρ 0.82 and CXL at 0.76 (~422 ns per access); the
        // simulator ran 500.7 ns (+19 %) while a 256-access batch (~130 µs) ran at the latency of
        // the window it started in and the windows' ρ swung between 0.45 and the cap.
        var sc = ScenarioFile.Load(Path.Combine(ScenarioCatalog.BuiltinDirectory, "bandwidth-bound.yaml")) with { DurationUs = 500_000 };
        var allFast = TieringBench.AllFast(sc);
        var wl = allFast.Workload();
        ((ScenarioWorkload)wl).TurnPlacementOff();
        var sim = new Simulation(allFast.Machine, wl, 1);
        sim.RunUntil(sc.DurationUs);
        var load = SplitLoad.Of(allFast.Machine, sim.Machine.Threads);
        var r = TieringRun.Run(sc, PolicyCatalog.Create("weighted-interleave-3-1"), 1, 0);
        Assert.Equal(0.25, r.SlowTierAccessRatio, 2);
        double model = new SplitModel(sc.Machine, 0, 1, load).Solve(r.SlowTierAccessRatio).NsPerAccess;
        Assert.InRange(r.NsPerAccess / model, 0.98, 1.02);
    }

    [Fact]
    public void EachThreadsWalksAndLlcHitsArePricedAtItsOwnSocket()
    {
        // Socket 0: LLC hit 14 ns, walk 30 ns; socket 1: 40 ns and 100 ns. Thread A (socket 0):
        // 1000 accesses, 200 LLC hits, 100 walks, 800 DRAM accesses at 90 ns (72,000 ns at the
        // node), 10,000 ns of compute. Thread B (socket 1): 1000 accesses, 300 hits, 50 walks,
        // 700 CXL accesses at 220 ns (154,000 ns), 20,000 ns of compute. Other time per access:
        // (10,000 + 2,800 + 3,000 + 20,000 + 12,000 + 5,000) / 2000 = 26.4 ns; pricing A's hits and
        // walks at socket 1's constants (the last thread's) gave 32.5.
        var spec = new MachineSpec
        {
            Nodes = [new NodeSpec(0, 1UL << 30, 90, 90, 12, 0), new NodeSpec(1, 1UL << 30, 90, 90, 12, 0)],
            Sockets =
            [
                new SocketSpec(0, 0, [0]) { Cache = new CacheSpec(LlcHitNs: 14, PageWalkNs: 30) },
                new SocketSpec(1, 1, [1]) { Cache = new CacheSpec(LlcHitNs: 40, PageWalkNs: 100) },
            ],
            Distances = [[10, 20], [20, 10]],
        };
        ulong memA = 72_000 + 200 * 14 + 100 * 30, memB = 154_000 + 300 * 40 + 50 * 100;
        var load = SplitLoad.Of(spec, new SplitLoad.ThreadCounters[]
        {
            new(0, 1000, 200, 100, memA + 10_000, memA),
            new(1, 1000, 300, 50, memB + 20_000, memB),
            new(1, 0, 0, 0, 0, 0), // no access: not a thread of the load
        });
        Assert.Equal(2, load.NrThreads);
        Assert.Equal(26.4, load.OtherNsPerAccess, 9);
        Assert.Equal(0.75, load.MemoryShare, 9);
    }

    private sealed class TupleTolerance(double eps) : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) a, (double, double, double) b) =>
            Math.Abs(a.Item1 - b.Item1) <= eps && Math.Abs(a.Item2 - b.Item2) <= eps && Math.Abs(a.Item3 - b.Item3) <= eps;
        public int GetHashCode((double, double, double) t) => 0;
    }
}
