using Damon.Sim.Machine;
using Damon.Tiering.Harness;
using Xunit;

namespace Damon.Tiering.Tests;

public class PhaseRuntimeTests
{
    private static TieringScenario Scenario() =>
        new("s", "bandwidth", "", new MachineSpec(), () => throw new InvalidOperationException(), 3_000_000, [0, 1_000_000, 2_000_000]);

    /// <summary>A series with 1 s steps: cumulative accesses and busy ns from per-second (accesses, ns per access).</summary>
    private static PolicyResult Result(string policy, params (ulong Accesses, ulong NsPerAccess)[] perSecond)
    {
        var s = new RunSeries();
        ulong a = 0, b = 0;
        for (int i = 0; i < perSecond.Length; i++)
        {
            a += perSecond[i].Accesses;
            b += perSecond[i].Accesses * perSecond[i].NsPerAccess;
            s.TimeMs.Add((i + 1) * 1000.0);
            s.AppAccesses.Add(a);
            s.AppBusyNs.Add(b);
        }
        return new PolicyResult { Scenario = "s", Policy = policy, HitRatio = [], Series = s };
    }

    [Fact]
    public void EachPhaseGetsItsOwnBestStaticSplit()
    {
        var results = new[]
        {
            Result("first-touch", (100, 500), (100, 200), (100, 500)),
            Result("weighted-interleave-3-1", (100, 400), (100, 230), (100, 420)),
            // Not a static split: never the reference, however fast.
            Result("damon-interleave", (100, 300), (100, 100), (100, 300)),
        };
        Assert.Equal([500.0, 200.0, 500.0], PhaseRuntime.NsPerAccess(Scenario(), results[0].Series!));
        var json = new TieringReport(1, [Scenario()], new Dictionary<string, double> { ["s"] = 400 }, results).ToJson();
        var best = json["scenarios"]![0]!["phase_best_static"]!.AsArray();
        Assert.Equal([("weighted-interleave-3-1", 400.0), ("first-touch", 200.0), ("weighted-interleave-3-1", 420.0)],
            best.Select(x => ((string)x!["policy"]!, (double)x["ns_per_access"]!)));
        Assert.Equal([0.75, 0.5, 300.0 / 420], json["results"]![2]!["phase_vs_best_static"]!.AsArray().Select(x => (double)x!));
    }

    [Fact]
    public void APhaseStartingBetweenStepsIsMeasuredFromItsStart()
    {
        // Phases at 0 and 1.05 s of a 2 s run, 1 s steps: 100 accesses at 500 ns in the first
        // 1.05 s, then 100 at 200 ns. The step after the boundary (2 s) would put the whole run into
        // the first phase; the run's mark at 1.05 s splits it where the phase changes.
        var sc = new TieringScenario("s", "bandwidth", "", new MachineSpec(), () => throw new InvalidOperationException(), 2_000_000, [0, 1_050_000]);
        var s = new RunSeries();
        s.TimeMs.AddRange([1000.0, 2000.0]);
        s.AppAccesses.AddRange([95, 200]);
        s.AppBusyNs.AddRange([95 * 500, 100 * 500 + 100 * 200]);
        s.AppAtUs[1_050_000] = (100, 100 * 500);
        Assert.Equal([500.0, 200.0], PhaseRuntime.NsPerAccess(sc, s));
        s.AppAtUs.Clear();
        Assert.Equal(350.0, PhaseRuntime.NsPerAccess(sc, s)[0]);
    }

    [Fact]
    public void TheReportGivesEveryResultItsPhasesAgainstTheBestStatic()
    {
        var results = new[] { Result("first-touch", (100, 500), (100, 200), (100, 500)), Result("weighted-interleave-3-1", (100, 400), (100, 230), (100, 420)) };
        var json = new TieringReport(1, [Scenario()], new Dictionary<string, double> { ["s"] = 400 }, results).ToJson();
        var best = json["scenarios"]![0]!["phase_best_static"]!.AsArray();
        Assert.Equal(["weighted-interleave-3-1", "first-touch", "weighted-interleave-3-1"], best.Select(x => (string)x!["policy"]!));
        var ratio = json["results"]![1]!["phase_vs_best_static"]!.AsArray().Select(x => (double)x!).ToArray();
        Assert.Equal([1.0, 1.15, 1.0], ratio);
    }
}
