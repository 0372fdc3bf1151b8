using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Config.Io;
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

    /// <summary>The schemes' engine-visible fields, in order: what must agree between two routes to the same setup.</summary>
    private static object[] Shape(Damos s) =>
    [
        s.Action, s.TargetNid, s.Pattern.MinSzRegion, s.Pattern.MaxSzRegion, s.Pattern.MinNrAccesses, s.Pattern.MaxNrAccesses,
        s.Pattern.MinAgeRegion, s.Pattern.MaxAgeRegion, s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs,
        s.Quota.WeightSz, s.Quota.WeightNrAccesses, s.Quota.WeightAge, s.Quota.GoalTuner,
        string.Join(";", s.Quota.Goals.Select(g => $"{g.Metric} {g.TargetValue} {g.Nid}")),
        string.Join(";", s.Filters.Select(f => $"{f.Type} {f.Matching} {f.Allow} {f.AddrRange.Start}-{f.AddrRange.End}")),
    ];

    [Fact]
    public void AKdamondsFileOfTheseOptionsGivesTheSameSchemes()
    {
        var fromOptions = Assert.Single(ContextMapping.ToEngine(KdamondsBuilder.Build(Args))).Context;
        string file = KdamondsJson.Write(KdamondsBuilder.Build(Args), raw: false);
        var fromFile = Assert.Single(ContextMapping.ToEngine(KdamondsJson.Read(file, "interleave.json"))).Context;
        Assert.Equal(fromOptions.Schemes.Select(Shape), fromFile.Schemes.Select(Shape));
    }

    [Fact]
    public void DamosOwnFileForTheseOptionsLacksTheGoalsNodesAndIsRefused()
    {
        // Golden/interleave_goals.json is damo 3.3's `args damon` output for exactly these options:
        // it dropped both goals' nid (GoldenArgsTests.WithoutEligibleNids), so the file cannot say
        // which node each goal measures; everything else matches, and the engine mapping refuses it.
        Assert.Equal(Args, Golden.Args("interleave_goals"));
        var damo = KdamondsJson.Read(Golden.Read("interleave_goals.json"), "interleave_goals.json");
        var goals = damo.Kdamonds[0].Contexts[0].Schemes.Select(s => Assert.Single(s.Quotas.Goals)).ToList();
        Assert.Equal([("node_eligible_mem_bp", 6000UL, (ulong?)null), ("node_eligible_mem_bp", 4000UL, null)], goals.Select(g => (g.Metric, g.TargetValue, g.Nid)));
        var e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(damo));
        Assert.Contains("node_eligible_mem_bp needs a node id", e.Message, StringComparison.Ordinal);
        // With the nids put back, the same schemes as from the options.
        foreach (var (g, nid) in goals.Zip(new ulong[] { 0, 1 })) g.Nid = nid;
        var fromOptions = Assert.Single(ContextMapping.ToEngine(KdamondsBuilder.Build(Args))).Context;
        Assert.Equal(fromOptions.Schemes.Select(Shape), Assert.Single(ContextMapping.ToEngine(damo)).Context.Schemes.Select(Shape));
    }
}
