using Damon.Core.Schemes;
using Damon.Sim.Running;
using Damon.Tiering.DamonTier;
using Damon.Tiering.Harness;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class DamonTierPolicyTests
{
    private const ulong MiB = TinyMachine.MiB;

    private static (Simulation Sim, DamonTierPolicy Policy) Attach(DamonTierPolicy policy)
    {
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), new TinyMachine.MapOnly(1, 0), seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        return (sim, policy);
    }

    [Fact]
    public void The_tier_modules_schemes_run_in_one_context_per_node_as_mtier_lays_them_out()
    {
        var (sim, policy) = Attach(DamonTierPolicy.Defaults());

        Assert.Equal(2, sim.Contexts.Count);
        var (promoteCtx, demoteCtx) = (sim.Contexts[0], sim.Contexts[1]);
        Assert.Same(policy.Promote, Assert.Single(promoteCtx.Schemes));
        Assert.Same(policy.Demote, Assert.Single(demoteCtx.Schemes));
        Assert.Equal((DamosAction.MigrateHot, 0), (policy.Promote!.Action, policy.Promote.TargetNid));
        Assert.Equal((DamosAction.MigrateCold, 1), (policy.Demote!.Action, policy.Demote.TargetNid));
        Assert.Equal(100UL << 20, policy.Promote.Quota.Sz);          // the module's quota_sz / 2

        foreach (var (ctx, nid) in new[] { (promoteCtx, 1), (demoteCtx, 0) })
        {
            var r = ctx.Targets[0].FirstRegion!;
            var (start, end) = sim.Machine.NodePhysRange(nid);
            Assert.Equal((start / ctx.AddrUnit, end / ctx.AddrUnit), (r.Start, r.End));
            Assert.Equal(5_000UL, ctx.Attrs.SampleIntervalUs);
            Assert.Equal(100_000UL, ctx.Attrs.AggrIntervalUs);
        }
        // Watermarks opened up: never above high (1000 ‰), never below low (0).
        Assert.Equal((1000UL, 0UL), (policy.Promote.Wmarks.High, policy.Promote.Wmarks.Low));
        Assert.True(policy.Configure(TinyMachine.Spec()).DemotionEnabled);
    }

    [Fact]
    public void The_recommended_setting_differs_from_the_defaults_only_in_tuner_granularity_and_charging()
    {
        var (_, policy) = Attach(DamonTierPolicy.Recommended());

        Assert.Equal("damon-tier", policy.Name);
        foreach (var s in new[] { policy.Promote!, policy.Demote! })
        {
            Assert.Equal(DamosQuotaGoalTuner.Temporal, s.Quota.GoalTuner);
            // 10 MiB per direction per 100 ms: the defaults' 100 MiB/s per direction.
            Assert.Equal((10 * MiB, 100UL), (s.Quota.Sz, s.Quota.ResetIntervalMs));
            Assert.Equal(0UL, s.ApplyIntervalUs);
            Assert.Equal((1UL, 1024UL), (s.Quota.FailChargeNum, s.Quota.FailChargeDenom));
        }
        // Nothing else differs from the module's defaults (with the opened watermarks).
        Assert.Equal(DamonTierPolicy.ModuleDefaults, policy.Params with
        {
            GoalTuner = DamosQuotaGoalTuner.Consist,
            Quota = DamonTierPolicy.ModuleDefaults.Quota,
            ApplyIntervalUs = 1_000_000,
            FailChargeNum = 0,
            FailChargeDenom = 0,
        });
        var spec = policy.Configure(TinyMachine.Spec());
        Assert.False(spec.DemotionEnabled);
        Assert.False(spec.LinuxDefault);
    }

    /// <summary>
    /// The fast node is full of cold data and a GUPS hot set sits on the slow node. The defaults'
    /// consist tuner starts at one byte and doubles at most once a second, so nothing moves in 4 s;
    /// the temporal tuner demotes the cold data and promotes the hot set in that time.
    /// </summary>
    [Fact]
    public void With_a_full_fast_node_only_the_recommended_setting_moves_the_hot_set_within_seconds()
    {
        var scenario = TinyMachine.GupsPressure(4_000_000);

        var defaults = TieringRun.Run(scenario, DamonTierPolicy.Defaults(), 1, 0);
        var recommended = TieringRun.Run(scenario, DamonTierPolicy.Recommended(), 1, 0);

        Assert.Equal(0UL, defaults.BytesPromoted);
        Assert.True(recommended.BytesPromoted >= 2 * MiB, $"promoted {recommended.BytesPromoted >> 10} KiB");
        Assert.True(recommended.SlowTierAccessRatio < defaults.SlowTierAccessRatio / 2,
            $"slow-tier access ratio {recommended.SlowTierAccessRatio:F3} vs {defaults.SlowTierAccessRatio:F3}");
    }
}

public class RecommendedTierFileTests
{
    /// <summary>configs/damon-tier.yaml is what users start from with --tier_params; it must say what damon-tier runs.</summary>
    [Fact]
    public void The_shipped_parameter_file_holds_the_recommended_setting()
    {
        string path = Path.Combine(RepoPaths.Root(), "configs", "damon-tier.yaml");
        Assert.Equal(DamonTierPolicy.Tuned, Damon.Modules.Config.ModuleParamsFile.Read<Damon.Modules.Tier.TierParams>(path));
    }
}
