using Damon.Core.Schemes;
using Damon.Sim.Running;
using Damon.Sim.Workloads.Gups;
using Damon.Tiering.DamonAuto;
using Damon.Tiering.Harness;
using Damon.Tiering.Interference;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class DamonAutoPolicyTests
{
    private const ulong MiB = TinyMachine.MiB;

    [Fact]
    public void The_schemes_are_tiers_in_mtiers_layout_and_the_first_quota_is_the_room_above_the_reserve()
    {
        var policy = new DamonAutoPolicy();
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), new TinyMachine.MapOnly(1, 0), seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));

        Assert.Equal(2, sim.Contexts.Count);
        Assert.Same(policy.Promote, Assert.Single(sim.Contexts[0].Schemes));
        Assert.Same(policy.Demote, Assert.Single(sim.Contexts[1].Schemes));
        Assert.Equal((DamosAction.MigrateHot, 0), (policy.Promote!.Action, policy.Promote.TargetNid));
        Assert.Equal((DamosAction.MigrateCold, 1), (policy.Demote!.Action, policy.Demote.TargetNid));
        // Before any window: the 32 MiB node's free memory less its 40 bp reserve (134,217 B).
        sim.Machine.TryGetNodeMem(0, out _, out ulong free);
        Assert.Equal(free - 32 * MiB * 40 / 10000, policy.Promote.Quota.Sz);
        Assert.Equal(1UL, policy.Demote.Quota.Sz);
        // Demotion waits for data that read zero in three windows in a row (AutoController.MinDemoteAge).
        Assert.Equal((0u, 0u, 2u), (policy.Demote.Pattern.MinNrAccesses, policy.Demote.Pattern.MaxNrAccesses, policy.Demote.Pattern.MinAgeRegion));
        // 20 % of a CPU per 100 ms window, per direction; unapplied bytes charged at 1/1024.
        Assert.Equal((20UL, 100UL, 1UL, 1024UL), (policy.Promote.Quota.Ms, policy.Promote.Quota.ResetIntervalMs,
            policy.Promote.Quota.FailChargeNum, policy.Promote.Quota.FailChargeDenom));
        Assert.False(policy.Configure(TinyMachine.Spec()).DemotionEnabled);
    }

    [Theory]
    [InlineData(0UL, 0UL, 10000UL)]       // nothing tried yet
    [InlineData(100UL, 25UL, 2500UL)]
    [InlineData(1000UL, 0UL, 100UL)]      // the 1 % floor
    public void The_young_share_is_the_filters_pass_rate_with_a_floor(ulong tried, ulong passed, ulong expectedBp)
    {
        var st = new DamosStat { SzTried = tried, SzOpsFilterPassed = passed };
        Assert.Equal(expectedBp, DamonAutoPolicy.YoungShareBp(st));
    }

    /// <summary>
    /// The harness on a small pressure case (28 MiB cold on a 32 MiB fast node, then GUPS over
    /// 24 MiB with a 4 MiB hot set, 3 simulated seconds, seed 1): exact, deterministic numbers.
    /// </summary>
    [Fact]
    public void A_short_pressure_run_gives_these_exact_numbers()
    {
        var scenario = TinyMachine.GupsPressure(3_000_000);

        var r = TieringRun.Run(scenario, new DamonAutoPolicy(), 1, 0);

        // Before the demote scheme's min_age (issue 12, third round): 21,807,104 promoted, 29,212,672 demoted,
        // 207 ping-pong pages per migration (PingPongCounter; the 200 ms snapshots had counted 0), 32,009,216 accesses.
        // With it, 2 pages per migration (the snapshots counted 1).
        Assert.Equal((20_930_560UL, 21_835_776UL, 2UL, 31_873_280UL), (r.BytesPromoted, r.BytesDemoted, r.PingPongPages, r.NrAccesses));
        // 0.011495876687514 before the min_age: demotion now waits three windows after each
        // partial demotion of a region (an applied action restarts its age, as damos_apply_scheme does).
        Assert.Equal(0.014663002991848, r.SlowTierAccessRatio, 12);
    }

    /// <summary>
    /// The slow-start case: all of a process (GUPS, 10 % hot taking 90 % of the updates)
    /// starts on the slow node and the fast node has room. The share of the hot set on the fast
    /// node after 1, 2 and 3 simulated seconds.
    /// </summary>
    [Fact]
    public void A_process_started_on_the_slow_node_has_its_hot_set_moved_within_seconds()
    {
        var gups = new GupsOptions
        {
            SizeBytes = 40 * MiB, HotBytes = 4 * MiB, Pattern = GupsPattern.Prob, HotProb = 0.9,
            DurationNs = 3_000_000_000UL,
        };
        var workload = new SlowStartWorkload(gups);
        var policy = new DamonAutoPolicy();
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), workload, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var (start, end) = workload.HotRange;
        var shares = new List<double>();
        for (int s = 1; s <= 3; s++)
        {
            sim.RunUntil((ulong)s * 1_000_000);
            ulong onFast = 0, pages = 0;
            for (ulong a = start; a < end; a += 4096, pages++)
                if (sim.Machine.NodeOfAddr(workload.Pid, a) == 0) onFast++;
            shares.Add((double)onFast / pages);
        }

        Assert.Equal([1.0, 1.0, 1.0], shares);
    }

    /// <summary>
    /// Lukewarm data on both nodes: GUPS updating 48 MiB uniformly (no hot set) at about 10 updates
    /// per page per second (8 µs of compute per update, 12,288 pages), written first so that the
    /// 32 MiB fast node fills and the rest lands on the slow node. Every page reads about one hit per
    /// 100 ms window on either node, zero in a third of the windows: nothing is hotter than anything
    /// else, so nothing may be exchanged.
    /// </summary>
    [Fact]
    public void Lukewarm_data_on_a_full_fast_node_is_not_exchanged_for_lukewarm_data()
    {
        var gups = new GupsOptions
        {
            SizeBytes = 48 * MiB, HotBytes = 4096, Pattern = GupsPattern.Prob, HotProb = 0.0,
            ComputeNsPerAccess = 8000, DurationNs = 3_000_000_000UL,
        };
        var scenario = new TieringScenario("tiny-lukewarm", "test", "GUPS 48 MiB uniform at ~10 updates/page/s on a 32 MiB fast node",
            TinyMachine.Spec(), () => new GupsWorkload(gups), 3_000_000, [0]);

        var r = TieringRun.Run(scenario, new DamonAutoPolicy(), 1, 0);

        // Without the demote scheme's min_age: 64,573,440 bytes up and 67,379,200 down in 3 s.
        // With it, what is left are regions that read zero three windows running by chance.
        Assert.Equal((9_900_032UL, 10_350_592UL), (r.BytesPromoted, r.BytesDemoted));
    }
}
