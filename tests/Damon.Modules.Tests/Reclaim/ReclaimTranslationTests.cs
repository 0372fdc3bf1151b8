using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.Reclaim;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.Reclaim;

/// <summary>What damon_reclaim_apply_parameters (mm/damon/reclaim.c) stages, field by field.</summary>
public class ReclaimTranslationTests
{
    private static readonly TestOperations Paddr = new(OperationsId.Paddr);

    [Fact]
    public void Default_parameters_build_the_kernels_pageout_scheme_over_all_system_ram()
    {
        var module = new ReclaimModule(ReclaimParams.Default, PcLayout);
        var ctx = module.BuildParamContext(Paddr);

        Assert.Same(Paddr, ctx.Ops);
        Assert.Equal(1UL, ctx.AddrUnit);
        Assert.Equal(4096UL, ctx.MinRegionSz); // max(DAMON_MIN_REGION_SZ / 1, 1)
        // damon_reclaim_mon_attrs: 5 ms, 100 ms, ops update 0, 10..1000 regions, no interval tuning.
        Assert.Equal(new MonitoringAttrs { SampleIntervalUs = 5000, AggrIntervalUs = 100_000, OpsUpdateIntervalUs = 0,
            MinNrRegions = 10, MaxNrRegions = 1000, AggrSamples = 20 }, ctx.Attrs);

        // damon_set_region_system_rams_default: first System RAM start to last System RAM end.
        var t = Assert.Single(ctx.Targets);
        var r = Assert.Single(t.Regions);
        Assert.Equal(new AddrRange(0x1000, 0x240000000), r.Range);
        Assert.Equal(0x1000UL, module.Params.MonitorRegionStart);
        Assert.Equal(0x240000000UL, module.Params.MonitorRegionEnd);

        // damon_reclaim_new_scheme: >= PAGE_SIZE, never accessed, for min_age / aggr_interval = 1200 aggregations.
        var s = Assert.Single(ctx.Schemes);
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 0, 0, 1200, uint.MaxValue), s.Pattern);
        Assert.Equal(DamosAction.Pageout, s.Action);
        Assert.Equal(0UL, s.ApplyIntervalUs);
        Assert.Equal(Damos.NumaNoNode, s.TargetNid);
        // damon_reclaim_quota: 10 ms, 128 MiB per 1000 ms; weights sz 0, nr_accesses 0, age 1.
        Assert.Equal(10UL, s.Quota.Ms);
        Assert.Equal(128 * MiB, s.Quota.Sz);
        Assert.Equal(1000UL, s.Quota.ResetIntervalMs);
        Assert.Equal((0u, 0u, 1u), (s.Quota.WeightSz, s.Quota.WeightNrAccesses, s.Quota.WeightAge));
        Assert.Empty(s.Quota.Goals);
        // damon_reclaim_wmarks: free_mem_rate, 5 s, 500/400/200 per mille.
        Assert.Equal(DamosWmarkMetric.FreeMemRate, s.Wmarks.Metric);
        Assert.Equal((5_000_000UL, 500UL, 400UL, 200UL), (s.Wmarks.IntervalUs, s.Wmarks.High, s.Wmarks.Mid, s.Wmarks.Low));
        Assert.True(s.Wmarks.Activated);
        Assert.Empty(s.Filters);
        Assert.Equal(0, s.MigrateDests.NrDests);
    }

    [Fact]
    public void Changed_parameters_add_goals_the_anon_filter_and_scale_the_region_by_addr_unit()
    {
        var p = ReclaimParams.Default with
        {
            MinAgeUs = 30_000_000,
            Quota = new ModuleQuota { Ms = 20, Sz = 64 * MiB, ResetIntervalMs = 500 },
            QuotaMemPressureUs = 1500,
            QuotaAutotuneFeedback = 7000,
            SkipAnon = true,
            Wmarks = new ModuleWatermarks { IntervalUs = 1_000_000, High = 900, Mid = 800, Low = 100 },
            MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 10_000, AggrIntervalUs = 200_000, MinNrRegions = 20, MaxNrRegions = 500 },
            AddrUnit = 1024,
        };
        var ctx = new ReclaimModule(p, PcLayout).BuildParamContext(Paddr);

        Assert.Equal(1024UL, ctx.AddrUnit);
        Assert.Equal(4UL, ctx.MinRegionSz); // 4096 / 1024
        Assert.Equal((10_000UL, 200_000UL, 0UL, 20UL, 500UL),
            (ctx.Attrs.SampleIntervalUs, ctx.Attrs.AggrIntervalUs, ctx.Attrs.OpsUpdateIntervalUs, ctx.Attrs.MinNrRegions, ctx.Attrs.MaxNrRegions));
        // System RAM bounds divided by addr_unit: 0x1000 / 1024 = 4, 0x240000000 / 1024 = 9437184.
        Assert.Equal(new AddrRange(4, 9_437_184), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);

        var s = Assert.Single(ctx.Schemes);
        // min_age / aggr_interval = 30 s / 200 ms = 150.
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 0, 0, 150, uint.MaxValue), s.Pattern);
        Assert.Equal((20UL, 64 * MiB, 500UL), (s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs));
        // Goals in the kernel's order: memory pressure first, then the user feedback goal.
        Assert.Equal(2, s.Quota.Goals.Count);
        Assert.Equal((DamosQuotaGoalMetric.SomeMemPsiUs, 1500UL), (s.Quota.Goals[0].Metric, s.Quota.Goals[0].TargetValue));
        Assert.Equal((DamosQuotaGoalMetric.UserInput, 10000UL, 7000UL),
            (s.Quota.Goals[1].Metric, s.Quota.Goals[1].TargetValue, s.Quota.Goals[1].CurrentValue));
        // skip_anon: damos_new_filter(ANON, matching=true, allow=false).
        var f = Assert.Single(s.OpsFilters);
        Assert.Equal((DamosFilterType.Anon, true, false), (f.Type, f.Matching, f.Allow));
        Assert.Empty(s.CoreFilters);
        Assert.Equal((1_000_000UL, 900UL, 800UL, 100UL), (s.Wmarks.IntervalUs, s.Wmarks.High, s.Wmarks.Mid, s.Wmarks.Low));
    }

    [Fact]
    public void Autotuned_intervals_replace_the_attrs_and_min_age_is_divided_by_the_tuned_aggregation_interval()
    {
        var p = ReclaimParams.Default with
        {
            AutotuneMonitoringIntervals = true,
            MinAgeUs = 10_000_000,
            MonAttrs = new ModuleMonitoringAttrs { SampleIntervalUs = 20_000, AggrIntervalUs = 2_000_000 },
        };
        var ctx = new ReclaimModule(p, PcLayout).BuildParamContext(Paddr);
        Assert.Equal(5_000UL, ctx.Attrs.SampleIntervalUs);
        Assert.Equal(100_000UL, ctx.Attrs.AggrIntervalUs);
        Assert.Equal(new IntervalsGoal(40, 3, 5_000, 10_000_000), ctx.Attrs.IntervalsGoal);
        Assert.Equal(100u, Assert.Single(ctx.Schemes).Pattern.MinAgeRegion); // 10 s / 100 ms
    }

    [Fact]
    public void A_user_region_is_used_as_given_and_aligned_to_min_region_sz()
    {
        var p = ReclaimParams.Default with { MonitorRegionStart = 0x10000100, MonitorRegionEnd = 0x20000010 };
        var module = new ReclaimModule(p, PcLayout);
        var ctx = module.BuildParamContext(Paddr);
        Assert.Equal(new AddrRange(0x10000000, 0x20001000), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);
        Assert.Equal(p, module.Params);
    }

    [Theory]
    [InlineData(0UL, 100_000UL, 10UL, 1000UL, 0UL, 0UL, "addr_unit", "must not be 0")]
    [InlineData(3UL, 100_000UL, 10UL, 1000UL, 0UL, 0UL, "addr_unit", "= 1365 must be a power of two")]
    [InlineData(1UL, 0UL, 10UL, 1000UL, 0UL, 0UL, "aggr_interval", "must not be 0")]
    [InlineData(1UL, 100_000UL, 2UL, 1000UL, 0UL, 0UL, "min_nr_regions", "must be at least 3")]
    [InlineData(1UL, 100_000UL, 100UL, 50UL, 0UL, 0UL, "min_nr_regions", "must not exceed max_nr_regions")]
    [InlineData(1UL, 1_000UL, 10UL, 1000UL, 0UL, 0UL, "sample_interval", "must not exceed aggr_interval")]
    [InlineData(1UL, 100_000UL, 10UL, 1000UL, 8192UL, 4096UL, "monitor_region_start", "must not exceed monitor_region_end")]
    public void Invalid_parameters_are_rejected_naming_the_parameter_and_rule(ulong addrUnit, ulong aggrUs, ulong minNr, ulong maxNr,
        ulong start, ulong end, string field, string rule)
    {
        var p = ReclaimParams.Default with
        {
            AddrUnit = addrUnit,
            MonAttrs = new ModuleMonitoringAttrs { AggrIntervalUs = aggrUs, MinNrRegions = minNr, MaxNrRegions = maxNr },
            MonitorRegionStart = start,
            MonitorRegionEnd = end,
        };
        var e = Assert.Throws<ModuleParamException>(() => new ReclaimModule(p, PcLayout).BuildParamContext(Paddr));
        Assert.Equal(field, e.Field);
        Assert.Contains(rule, e.Message);
        Assert.StartsWith(field + ": ", e.Message);
    }

    [Fact]
    public void A_layout_without_system_ram_is_rejected()
    {
        var e = Assert.Throws<ModuleParamException>(() =>
            new ReclaimModule(ReclaimParams.Default, new StaticMemoryLayout([])).BuildParamContext(Paddr));
        Assert.Equal("monitor_region_start", e.Field);
        Assert.Contains("no usable System RAM", e.Message);
    }
}
