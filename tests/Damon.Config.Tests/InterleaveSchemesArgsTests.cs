using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>
/// The auto-tuned weighted interleaving of DAMON 7.1–7.2 written as damo options: two migrate_hot
/// schemes over physical memory, one pulling hot memory to node 0 until it holds 6000 bp of the hot
/// bytes (node_eligible_mem_bp, nid 0) with an address filter that allows only node 1's range, one
/// pushing hot memory to node 1 until it holds 4000 bp. Node 0 is [0, 4 GiB), node 1 [4, 8 GiB).
/// </summary>
public class InterleaveSchemesArgsTests
{
    private static readonly string[] Args =
    [
        "--ops", "paddr", "-r", "0-8G",
        "--damos_action", "migrate_hot", "0", "--damos_access_rate", "5%", "max",
        "--damos_quotas", "0s", "40M", "100ms", "0", "100", "100",
        "--damos_quota_goal", "node_eligible_mem_bp", "6000", "0",
        "--damos_filter", "allow", "addr", "4G", "8G",
        "--damos_action", "migrate_hot", "1", "--damos_access_rate", "5%", "max",
        "--damos_quotas", "0s", "40M", "100ms", "0", "100", "100",
        "--damos_quota_goal", "node_eligible_mem_bp", "4000", "1",
        "--damos_nr_quota_goals", "1", "1",
        "--damos_nr_filters", "1", "0",
    ];

    [Fact]
    public void TheTwoSchemesCarryTheirNodesGoalsAndFilter()
    {
        var ctx = Assert.Single(ContextMapping.ToEngine(KdamondsBuilder.Build(Args))).Context;
        Assert.Equal(2, ctx.Schemes.Count);
        var (pull, push) = (ctx.Schemes[0], ctx.Schemes[1]);
        Assert.Equal((DamosAction.MigrateHot, 0), (pull.Action, pull.TargetNid));
        Assert.Equal((DamosAction.MigrateHot, 1), (push.Action, push.TargetNid));
        var g0 = Assert.Single(pull.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.NodeEligibleMemBp, 6000UL, 0), (g0.Metric, g0.TargetValue, g0.Nid));
        var g1 = Assert.Single(push.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.NodeEligibleMemBp, 4000UL, 1), (g1.Metric, g1.TargetValue, g1.Nid));
        // 40 MiB per 100 ms reset for each.
        Assert.Equal((40UL << 20, 100UL), (pull.Quota.Sz, pull.Quota.ResetIntervalMs));
        var f = Assert.Single(pull.Filters);
        Assert.Equal((DamosFilterType.Addr, true, true), (f.Type, f.Matching, f.Allow));
        Assert.Equal((4UL << 30, 8UL << 30), (f.AddrRange.Start, f.AddrRange.End));
        Assert.Empty(push.Filters);
    }
}
