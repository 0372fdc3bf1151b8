using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>
/// damo's scripts/mem_tier.sh (peers.md §1.9) with explicit regions instead of --numa_node:
/// demote cold node-0 memory to node 1, promote hot node-1 memory to node 0, quota goals on node 0.
/// The expected engine values follow damo's unit rules: percent × (aggr / sample) / 100 samples,
/// age in aggregation intervals, 200MB = 200 × 2^20 bytes, quota weights 1 permil each when given
/// through --damos_quota_interval.
/// </summary>
public class MemTierRecipeTests
{
    private static List<EngineContext> Contexts() =>
        ContextMapping.ToEngine(KdamondsBuilder.Build(Golden.Args("mem_tier")));

    [Fact]
    public void TwoPhysicalContextsWithAutotunedIntervals()
    {
        var contexts = Contexts();
        Assert.Equal(2, contexts.Count);
        for (int i = 0; i < 2; i++)
        {
            var (opsId, ctx) = contexts[i];
            Assert.Equal(OperationsId.Paddr, opsId);
            Assert.Equal(5_000UL, ctx.Attrs.SampleIntervalUs);
            Assert.Equal(100_000UL, ctx.Attrs.AggrIntervalUs);
            Assert.Equal(1_000_000UL, ctx.Attrs.OpsUpdateIntervalUs);
            Assert.Equal(new Damon.Core.Monitoring.IntervalsGoal(400, 3, 5_000, 10_000_000), ctx.Attrs.IntervalsGoal);
            Assert.Equal((10UL, 1000UL), (ctx.Attrs.MinNrRegions, ctx.Attrs.MaxNrRegions));
            var t = Assert.Single(ctx.Targets);
            Assert.Equal(((ulong)i * (4UL << 30), (ulong)(i + 1) * (4UL << 30)), (t.FirstRegion!.Start, t.LastRegion!.End));
            Assert.Single(ctx.Schemes);
        }
    }

    private static void AssertQuota(DamosQuota q)
    {
        Assert.Equal(0UL, q.Ms);
        Assert.Equal(200UL << 20, q.Sz);
        Assert.Equal(1_000UL, q.ResetIntervalMs);
        Assert.Equal((1u, 1u, 1u), (q.WeightSz, q.WeightNrAccesses, q.WeightAge));
        Assert.Equal(DamosQuotaGoalTuner.Consist, q.GoalTuner);
        Assert.Equal((0UL, 0UL), (q.FailChargeNum, q.FailChargeDenom));
    }

    [Fact]
    public void DemotionScheme()
    {
        var s = Contexts()[0].Context.Schemes[0];
        Assert.Equal(DamosAction.MigrateCold, s.Action);
        Assert.Equal(1, s.TargetNid);
        Assert.Equal(0, s.MigrateDests.NrDests);
        Assert.Equal(new DamosAccessPattern(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue), s.Pattern);
        Assert.Equal(1_000_000UL, s.ApplyIntervalUs);
        AssertQuota(s.Quota);
        var g = Assert.Single(s.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.NodeMemFreeBp, 50UL, 0), (g.Metric, g.TargetValue, g.Nid));
        Assert.Equal(DamosWmarkMetric.None, s.Wmarks.Metric);
        Assert.Empty(s.CoreFilters);
        var f = Assert.Single(s.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, false), (f.Type, f.Matching, f.Allow));
        Assert.False(s.OpsFiltersDefaultReject);
    }

    [Fact]
    public void PromotionScheme()
    {
        var s = Contexts()[1].Context.Schemes[0];
        Assert.Equal(DamosAction.MigrateHot, s.Action);
        Assert.Equal(0, s.TargetNid);
        // 5 % of 20 samples per window is 1 sample; "max" saturates the 32-bit field.
        Assert.Equal(new DamosAccessPattern(0, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue), s.Pattern);
        Assert.Equal(1_000_000UL, s.ApplyIntervalUs);
        AssertQuota(s.Quota);
        var g = Assert.Single(s.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.NodeMemUsedBp, 9_970UL, 0), (g.Metric, g.TargetValue, g.Nid));
        var f = Assert.Single(s.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, true), (f.Type, f.Matching, f.Allow));
        // An allow filter last: memory no filter matched is rejected.
        Assert.True(s.OpsFiltersDefaultReject);
    }

    [Fact]
    public void AgeAndRateUnitsFollowTheIntervals()
    {
        var spec = KdamondsBuilder.Build(["--monitoring_intervals", "10ms", "200ms", "1s", "--damos_action", "pageout",
            "--damos_access_rate", "50%", "100%", "--damos_age", "2s", "1 m", "-r", "0-1G"]);
        var s = ContextMapping.ToEngine(spec)[0].Context.Schemes[0];
        Assert.Equal(new DamosAccessPattern(0, ulong.MaxValue, 10, 20, 10, 300), s.Pattern);
    }
}
