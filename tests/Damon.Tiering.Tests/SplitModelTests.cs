using Damon.Sim.Machine;
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

    private sealed class TupleTolerance(double eps) : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) a, (double, double, double) b) =>
            Math.Abs(a.Item1 - b.Item1) <= eps && Math.Abs(a.Item2 - b.Item2) <= eps && Math.Abs(a.Item3 - b.Item3) <= eps;
        public int GetHashCode((double, double, double) t) => 0;
    }
}
