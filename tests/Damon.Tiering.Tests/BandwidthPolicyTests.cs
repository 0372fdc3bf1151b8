using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.BwHillclimb;
using Damon.Tiering.Colloid;
using Damon.Tiering.DamonInterleave;
using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;
using Damon.Tiering.Policy;
using Damon.Tiering.WeightedInterleave;
using Xunit;

namespace Damon.Tiering.Tests;

public class BandwidthPolicyTests
{
    [Theory]
    // 32 × 72000 / 98000 = 23 (23.5), 32 × 26000 / 98000 = 8 (8.49); GCD 1.
    [InlineData(new ulong[] { 72000, 26000 }, new uint[] { 23, 8 })]
    // 16 and 16, GCD 16.
    [InlineData(new ulong[] { 100, 100 }, new uint[] { 1, 1 })]
    // 32 × 64 / 96 = 21 (21.3), 32 × 32 / 96 = 10 (10.7).
    [InlineData(new ulong[] { 64000, 32000 }, new uint[] { 21, 10 })]
    // A node without bandwidth gets 1; the other 32 × 50 / 50 = 32.
    [InlineData(new ulong[] { 0, 50 }, new uint[] { 1, 32 })]
    // 24, 8: GCD 8.
    [InlineData(new ulong[] { 300, 100 }, new uint[] { 3, 1 })]
    public void AutoWeightsAreReduceInterleaveWeights(ulong[] bw, uint[] expected) =>
        Assert.Equal(expected, InterleaveWeights.ReduceInterleaveWeights(bw));

    private static (Simulation Sim, TinyMachine.MapOnly W) Attached(ITieringPolicy policy, ulong appPages)
    {
        var w = new TinyMachine.MapOnly(appPages, 0);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        return (sim, w);
    }

    [Fact]
    public void WeightedInterleavePlacesEachPageByItsInterleaveIndex()
    {
        var policy = new WeightedInterleavePolicy("weighted-interleave-3-1", 3, 1);
        var (sim, w) = Attached(policy, 16);
        TinyMachine.Touch(sim.Machine, w.Tid, w.Start, 16);
        // Anonymous VMA: pgoff = start >> 12, so page i's ilx is (start >> 12) + i; ilx mod 4 < 3 is node 0.
        for (ulong i = 0; i < 16; i++)
            Assert.Equal(((w.Start >> 12) + i) % 4 < 3 ? 0 : 1, sim.Machine.NodeOfAddr(1, w.Start + i * PageSizes.PageSize));
        Assert.Equal((12UL * PageSizes.PageSize, 4UL * PageSizes.PageSize), (sim.Machine.NodeUsedBytes(0), sim.Machine.NodeUsedBytes(1)));
    }

    [Fact]
    public void OracleInterleaveSetsTheModelsOptimumAsWeights()
    {
        // One latency-bound thread: the model keeps everything on the fast node (weights 1000:0).
        var load = new Damon.Tiering.InterleaveOracle.SplitLoad(1, 200, 1);
        var policy = new Damon.Tiering.InterleaveOracle.OracleInterleavePolicy(load);
        var (sim, w) = Attached(policy, 16);
        var best = new Damon.Tiering.InterleaveOracle.SplitModel(sim.Machine.Spec, 0, 1, load).Optimum();
        Assert.Equal(best, policy.Prediction!.Optimum);
        Assert.Equal([1000 - (uint)Math.Round(best.SlowShare * 1000), (uint)Math.Round(best.SlowShare * 1000)], policy.Weights);
        Assert.Equal([1000u, 0u], policy.Weights);
        TinyMachine.Touch(sim.Machine, w.Tid, w.Start, 16);
        Assert.Equal((16UL * PageSizes.PageSize, 0UL), (sim.Machine.NodeUsedBytes(0), sim.Machine.NodeUsedBytes(1)));
    }

    [Fact]
    public void TheDefaultWeightsComeFromTheMachinesBandwidths()
    {
        var policy = new WeightedInterleavePolicy("weighted-interleave");
        Attached(policy, 1);
        Assert.Equal(new uint[] { 23, 8 }, policy.Weights); // the default machine's 72 and 26 GB/s
    }

    [Fact]
    public void HillclimbStepsTowardTheSlowNodeFirstAndReversesWhenThroughputDrops()
    {
        var policy = new BwHillclimbPolicy();
        var (sim, w) = Attached(policy, 64);   // bound to the slow node
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.Start, 64);
        for (ulong t = 100_000; t <= 10_000_000; t += 100_000)
            policy.Tick(t);
        // The first window's samples: 64 accesses in the first second, then none: mean 6.4/s.
        // The first step goes to 2/16 on the slow node: ilx mod 16 < 14 is the fast node.
        Assert.Equal([(10_000_000UL, 2u)], policy.Adjustments);
        for (ulong i = 0; i < 64; i++)
            Assert.Equal(((w.Start >> 12) + i) % 16 < 14 ? 0 : 1, m.NodeOfAddr(1, w.Start + i * PageSizes.PageSize));
        for (ulong t = 10_100_000; t <= 20_000_000; t += 100_000)
            policy.Tick(t);
        // The second window's 0/s is below 6.4/s: the direction reverses, back to all fast.
        Assert.Equal([(10_000_000UL, 2u), (20_000_000UL, 0u)], policy.Adjustments);
        Assert.Equal((64UL * PageSizes.PageSize, 0UL), (m.NodeUsedBytes(0), m.NodeUsedBytes(1)));
    }

    [Fact]
    public void ColloidPromotesTheHottestSlowPagesUntilTheShiftedAccessMassIsReached()
    {
        var policy = new ColloidPolicy();
        var (sim, w) = Attached(policy, 20);
        var m = sim.Machine;
        // Page i is accessed i + 1 times: 210 accesses, all on the slow node. The idle fast node
        // (90 ns) is faster than the slow one (220 ns): Δp = min(0.05, 1 × 130 / 310) = 0.05, a
        // mass of 10.5 accesses, which page 19 alone (20 accesses) covers.
        for (ulong i = 0; i < 20; i++)
            for (ulong k = 0; k <= i; k++)
                TinyMachine.Touch(m, w.Tid, w.Start + i * PageSizes.PageSize, 1);
        policy.Tick(100_000);
        for (ulong i = 0; i < 20; i++)
            Assert.Equal(i == 19 ? 0 : 1, m.NodeOfAddr(1, w.Start + i * PageSizes.PageSize));
        Assert.Equal((1UL, 0UL), (policy.NrPromotedPages, policy.NrDemotedPages));
    }

    [Fact]
    public void DamonInterleaveBuildsTwoMigrateHotSchemesWithEligibleMemGoalsAndNodeFilters()
    {
        var policy = new DamonInterleavePolicy();
        var (sim, _) = Attached(policy, 1);
        var m = sim.Machine;
        // 23:8 → 10000 × 23 / 31 = 7419 bp on the fast node, 2581 on the slow one.
        Assert.Equal((7419UL, 2581UL), (policy.FastBp, policy.SlowBp));
        var ctx = Assert.Single(sim.Contexts);
        Assert.Equal([policy.Pull!, policy.Push!], ctx.Schemes);
        // Each goal 250 bp short of its share: the dead band between 7169 and 7419 + 250.
        foreach (var (s, nid, bp, range) in new[] { (policy.Pull!, 0, 7169UL, m.NodePhysRange(1)), (policy.Push!, 1, 2331UL, m.NodePhysRange(0)) })
        {
            Assert.Equal((DamosAction.MigrateHot, nid), (s.Action, s.TargetNid));
            var g = Assert.Single(s.Quota.Goals);
            Assert.Equal((DamosQuotaGoalMetric.NodeEligibleMemBp, bp, nid), (g.Metric, g.TargetValue, g.Nid));
            var f = Assert.Single(s.Filters);
            Assert.Equal((DamosFilterType.Addr, true, true, range.Start, range.End), (f.Type, f.Matching, f.Allow, f.AddrRange.Start, f.AddrRange.End));
        }
    }

    [Fact]
    public void RetunedDamonInterleaveStartsAllFastAndStaysThereWhileTheFastNodeIsFaster()
    {
        var policy = new DamonInterleavePolicy(retune: true);
        Attached(policy, 1);
        Assert.Equal((10000UL, 0UL), (policy.FastBp, policy.SlowBp));
        for (ulong t = 0; t <= 3_000_000; t += 100_000) policy.Tick(t);
        Assert.Empty(policy.Retunes);
        Assert.Equal((9750UL, 0UL), (policy.Pull!.Quota.Goals[0].TargetValue, policy.Push!.Quota.Goals[0].TargetValue));
    }

    [Theory]
    [InlineData("bandwidth-bound", 12_000_000UL, 1)]
    [InlineData("bandwidth-varying", 9_000_000UL, 3)]
    [InlineData("bandwidth-light", 10_000_000UL, 1)]
    public void TheBandwidthScenariosRunOnTheScaledBandwidthMachine(string name, ulong durationUs, int nrPhases)
    {
        var sc = ScenarioFile.Load(Path.Combine(ScenarioCatalog.BuiltinDirectory, name + ".yaml"));
        Assert.Equal((name, "bandwidth", durationUs, nrPhases), (sc.Name, sc.Group, sc.DurationUs, sc.PhaseChangesUs.Count));
        Assert.Equal([12.0, 4.333], sc.Machine.Nodes.Select(n => n.BandwidthGBps));
        Assert.Equal([90u, 220u], sc.Machine.Nodes.Select(n => n.ReadLatencyNs));
        Assert.Equal(1024u, sc.Machine.LoadedLatency.AccessBytes);
        Assert.Contains("damon-interleave", sc.Policies!);
        Assert.Contains("colloid", sc.Policies!);
    }
}
