using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.LruSort;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.LruSort;

/// <summary>What damon_lru_sort_apply_parameters (mm/damon/lru_sort.c) stages, field by field.</summary>
public class LruSortTranslationTests
{
    private static readonly TestOperations Paddr = new(OperationsId.Paddr);

    private static void AssertCommon(Damos s, ulong quotaMs, ulong resetMs, (ulong, ulong, ulong, ulong) wmarks)
    {
        Assert.Equal(0UL, s.ApplyIntervalUs);
        Assert.Equal(Damos.NumaNoNode, s.TargetNid);
        Assert.Equal((quotaMs, 0UL, resetMs), (s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs));
        Assert.Equal((0u, 1u, 1u), (s.Quota.WeightSz, s.Quota.WeightNrAccesses, s.Quota.WeightAge));
        Assert.Equal(DamosWmarkMetric.FreeMemRate, s.Wmarks.Metric);
        Assert.Equal(wmarks, (s.Wmarks.IntervalUs, s.Wmarks.High, s.Wmarks.Mid, s.Wmarks.Low));
    }

    [Fact]
    public void Default_parameters_build_the_hot_and_cold_schemes()
    {
        var ctx = new LruSortModule(LruSortParams.Default, PcLayout).BuildParamContext(Paddr);

        Assert.Equal((1UL, 4096UL), (ctx.AddrUnit, ctx.MinRegionSz));
        Assert.Equal((5000UL, 100_000UL, 0UL, 10UL, 1000UL, default(IntervalsGoal)),
            (ctx.Attrs.SampleIntervalUs, ctx.Attrs.AggrIntervalUs, ctx.Attrs.OpsUpdateIntervalUs, ctx.Attrs.MinNrRegions,
             ctx.Attrs.MaxNrRegions, ctx.Attrs.IntervalsGoal));
        Assert.Equal(new AddrRange(0x1000, 0x240000000), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);

        Assert.Equal(2, ctx.Schemes.Count);
        var hot = ctx.Schemes[0];
        var cold = ctx.Schemes[1];
        // Hot: nr_accesses >= damon_max_nr_accesses (20) * 500 / 1000 = 10, any age.
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 10, uint.MaxValue, 0, uint.MaxValue), hot.Pattern);
        Assert.Equal(DamosAction.LruPrio, hot.Action);
        // Cold: never accessed for cold_min_age / aggr_interval = 1200 aggregations.
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 0, 0, 1200, uint.MaxValue), cold.Pattern);
        Assert.Equal(DamosAction.LruDeprio, cold.Action);
        // damon_lru_sort_new_scheme: quota.ms / 2 = 5 each, sz 0; wmarks 5 s / 200 / 150 / 50.
        AssertCommon(hot, 5, 1000, (5_000_000, 200, 150, 50));
        AssertCommon(cold, 5, 1000, (5_000_000, 200, 150, 50));
        Assert.Empty(hot.Quota.Goals);
        Assert.Empty(cold.Quota.Goals);
        Assert.Empty(hot.Filters);
        Assert.Empty(cold.Filters);
    }

    [Fact]
    public void Changed_parameters_add_the_overlapping_goals_and_the_young_filters()
    {
        var p = LruSortParams.Default with
        {
            ActiveMemBp = 7000,
            FilterYoungPages = true,
            HotThresAccessFreq = 800,
            ColdMinAgeUs = 60_000_000,
            Quota = new ModuleQuota { Ms = 21, ResetIntervalMs = 2000 },
            Wmarks = new ModuleWatermarks { IntervalUs = 100_000, High = 1000, Mid = 999, Low = 0 },
            MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 10_000, AggrIntervalUs = 200_000, MinNrRegions = 10, MaxNrRegions = 100 },
        };
        var ctx = new LruSortModule(p, PcLayout).BuildParamContext(Paddr);
        var hot = ctx.Schemes[0];
        var cold = ctx.Schemes[1];

        // max_nr_accesses = 200 ms / 10 ms = 20; 20 * 800 / 1000 = 16.
        Assert.Equal(16u, hot.Pattern.MinNrAccesses);
        // 60 s / 200 ms = 300.
        Assert.Equal(300u, cold.Pattern.MinAgeRegion);
        // 21 / 2 = 10 (integer halving).
        AssertCommon(hot, 10, 2000, (100_000, 1000, 999, 0));
        AssertCommon(cold, 10, 2000, (100_000, 1000, 999, 0));

        // damon_lru_sort_add_quota_goals: active_mem_bp on hot, 10000 - active + 2 inactive_mem_bp on cold.
        var hg = Assert.Single(hot.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.ActiveMemBp, 7000UL), (hg.Metric, hg.TargetValue));
        var cg = Assert.Single(cold.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.InactiveMemBp, 3002UL), (cg.Metric, cg.TargetValue));

        // damon_lru_sort_add_filters: reject non-young on hot, reject young on cold.
        var hf = Assert.Single(hot.OpsFilters);
        Assert.Equal((DamosFilterType.Young, false, false), (hf.Type, hf.Matching, hf.Allow));
        var cf = Assert.Single(cold.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, false), (cf.Type, cf.Matching, cf.Allow));
    }

    [Fact]
    public void Autotuned_intervals_set_the_hot_threshold_from_the_tuned_attrs()
    {
        var p = LruSortParams.Default with
        {
            AutotuneMonitoringIntervals = true,
            MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 1000, AggrIntervalUs = 1_000_000 },
        };
        var ctx = new LruSortModule(p, PcLayout).BuildParamContext(Paddr);
        Assert.Equal(new IntervalsGoal(40, 3, 5_000, 10_000_000), ctx.Attrs.IntervalsGoal);
        Assert.Equal(10u, ctx.Schemes[0].Pattern.MinNrAccesses); // 100 ms / 5 ms = 20; * 500 / 1000
        Assert.Equal(1200u, ctx.Schemes[1].Pattern.MinAgeRegion);
    }

    [Fact]
    public void A_zero_sample_interval_is_rejected()
    {
        var p = LruSortParams.Default with { MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 0 } };
        var e = Assert.Throws<ModuleParamException>(() => new LruSortModule(p, PcLayout).BuildParamContext(Paddr));
        Assert.Equal("sample_interval: must not be 0", e.Message);
    }
}
