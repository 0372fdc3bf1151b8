using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.Tier;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.Tier;

/// <summary>What damon_tier_apply_parameters (linux-mm mm/damon/tier.c) stages, field by field.</summary>
public class TierTranslationTests
{
    private static readonly TestOperations Paddr = new(OperationsId.Paddr);

    [Fact]
    public void Default_parameters_build_promote_and_demote_over_the_biggest_system_ram()
    {
        var module = new TierModule(TierParams.Default, PcLayout);
        var ctx = module.BuildParamContext(Paddr);

        Assert.Equal((1UL, 4096UL), (ctx.AddrUnit, ctx.MinRegionSz));
        Assert.Equal((5000UL, 100_000UL, 0UL, 10UL, 1000UL, default(IntervalsGoal)),
            (ctx.Attrs.SampleIntervalUs, ctx.Attrs.AggrIntervalUs, ctx.Attrs.OpsUpdateIntervalUs, ctx.Attrs.MinNrRegions,
             ctx.Attrs.MaxNrRegions, ctx.Attrs.IntervalsGoal));
        // damon_set_region_biggest_system_ram_default: the 5 GiB resource above 4 GiB. The kernel
        // keeps the resource's inclusive end; aligning the region rounds it back up.
        Assert.Equal(new AddrRange(0x100000000, 0x240000000), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);
        Assert.Equal((0x100000000UL, 0x23fffffffUL), (module.Params.MonitorRegionStart, module.Params.MonitorRegionEnd));

        Assert.Equal(2, ctx.Schemes.Count);
        var promote = ctx.Schemes[0];
        var demote = ctx.Schemes[1];
        // damon_tier_new_promote_scheme: accessed at least once → migrate_hot to node 0.
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue), promote.Pattern);
        Assert.Equal((DamosAction.MigrateHot, 0), (promote.Action, promote.TargetNid));
        // damon_tier_new_demote_scheme: never accessed → migrate_cold to node 1.
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 0, 0, 0, uint.MaxValue), demote.Pattern);
        Assert.Equal((DamosAction.MigrateCold, 1), (demote.Action, demote.TargetNid));
        foreach (var s in ctx.Schemes)
        {
            // damon_tier_new_scheme: applied every 1 s, half of the 200 MiB size quota, no time quota.
            Assert.Equal(1_000_000UL, s.ApplyIntervalUs);
            Assert.Equal((0UL, 100 * MiB, 1000UL), (s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs));
            Assert.Equal((0u, 100u, 100u), (s.Quota.WeightSz, s.Quota.WeightNrAccesses, s.Quota.WeightAge));
            // tier.c predates goal tuners and fail charging: consist, whole regions charged.
            Assert.Equal((DamosQuotaGoalTuner.Consist, 0UL, 0UL), (s.Quota.GoalTuner, s.Quota.FailChargeNum, s.Quota.FailChargeDenom));
            Assert.Equal(DamosWmarkMetric.FreeMemRate, s.Wmarks.Metric);
            Assert.Equal((5_000_000UL, 200UL, 150UL, 50UL), (s.Wmarks.IntervalUs, s.Wmarks.High, s.Wmarks.Mid, s.Wmarks.Low));
            Assert.Empty(s.CoreFilters);
        }
        // damon_tier_add_quota_goals: both goals watch the promote target node.
        var pg = Assert.Single(promote.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.NodeMemUsedBp, 9960UL, 0), (pg.Metric, pg.TargetValue, pg.Nid));
        var dg = Assert.Single(demote.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.NodeMemFreeBp, 40UL, 0), (dg.Metric, dg.TargetValue, dg.Nid));
        // damon_tier_add_filters: young allowed for promotion, young rejected for demotion.
        var pf = Assert.Single(promote.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, true), (pf.Type, pf.Matching, pf.Allow));
        var df = Assert.Single(demote.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, false), (df.Type, df.Matching, df.Allow));
    }

    [Fact]
    public void Changed_parameters_move_nodes_goals_quotas_weights_and_drop_the_young_filters()
    {
        var p = TierParams.Default with
        {
            PromoteTargetNid = 2,
            DemoteTargetNid = 3,
            PromoteTargetMemUsedBp = 9900,
            DemoteTargetMemFreeBp = 100,
            Quota = new ModuleQuota { Ms = 7, Sz = 64 * MiB + 1, ResetIntervalMs = 250 },
            WeightSz = 1,
            WeightNrAccesses = 2,
            WeightAge = 3,
            FilterYoungPages = false,
            Wmarks = new ModuleWatermarks { IntervalUs = 1000, High = 1000, Mid = 500, Low = 0 },
            MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 1000, AggrIntervalUs = 50_000, MinNrRegions = 3, MaxNrRegions = 30 },
            MonitorRegionStart = 0x100000000,
            MonitorRegionEnd = 0x140000000,
            GoalTuner = DamosQuotaGoalTuner.Temporal,
            PromoteMinNrAccesses = 3,
            ApplyIntervalUs = 0,
            FailChargeNum = 1,
            FailChargeDenom = 1024,
        };
        var ctx = new TierModule(p, PcLayout).BuildParamContext(Paddr);

        Assert.Equal((1000UL, 50_000UL, 3UL, 30UL), (ctx.Attrs.SampleIntervalUs, ctx.Attrs.AggrIntervalUs, ctx.Attrs.MinNrRegions, ctx.Attrs.MaxNrRegions));
        Assert.Equal(new AddrRange(0x100000000, 0x140000000), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);
        var promote = ctx.Schemes[0];
        var demote = ctx.Schemes[1];
        Assert.Equal(2, promote.TargetNid);
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 3, uint.MaxValue, 0, uint.MaxValue), promote.Pattern);
        Assert.Equal(3, demote.TargetNid);
        foreach (var s in ctx.Schemes)
        {
            Assert.Equal((7UL, 32 * MiB, 250UL), (s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs)); // (64 MiB + 1) / 2
            Assert.Equal((1u, 2u, 3u), (s.Quota.WeightSz, s.Quota.WeightNrAccesses, s.Quota.WeightAge));
            Assert.Equal((DamosQuotaGoalTuner.Temporal, 1UL, 1024UL), (s.Quota.GoalTuner, s.Quota.FailChargeNum, s.Quota.FailChargeDenom));
            Assert.Equal(0UL, s.ApplyIntervalUs);   // every aggregation interval
            Assert.Equal((1000UL, 1000UL, 500UL, 0UL), (s.Wmarks.IntervalUs, s.Wmarks.High, s.Wmarks.Mid, s.Wmarks.Low));
            Assert.Empty(s.Filters);
        }
        Assert.Equal((DamosQuotaGoalMetric.NodeMemUsedBp, 9900UL, 2), (promote.Quota.Goals[0].Metric, promote.Quota.Goals[0].TargetValue, promote.Quota.Goals[0].Nid));
        Assert.Equal((DamosQuotaGoalMetric.NodeMemFreeBp, 100UL, 2), (demote.Quota.Goals[0].Metric, demote.Quota.Goals[0].TargetValue, demote.Quota.Goals[0].Nid));
    }

    [Fact]
    public void A_goal_tuner_the_kernel_does_not_have_is_rejected_naming_the_parameter()
    {
        var e = Assert.Throws<ModuleParamException>(() => (TierParams.Default with { GoalTuner = (DamosQuotaGoalTuner)2 }).Validate());
        Assert.Contains("goal_tuner", e.Message);
    }

    [Fact]
    public void Of_equally_big_system_rams_the_last_is_picked()
    {
        // walk_system_ram keeps a resource when (end - start) of the kept one, its size minus
        // one, is below the new one's size: equal sizes replace.
        var layout = new StaticMemoryLayout([new AddrRange(0, 1 * GiB), new AddrRange(2 * GiB, 3 * GiB), new AddrRange(4 * GiB, 4 * GiB + 4096)]);
        var ctx = new TierModule(TierParams.Default, layout).BuildParamContext(Paddr);
        Assert.Equal(new AddrRange(2 * GiB, 3 * GiB), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);
    }
}
