using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.Samples;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.Samples;

/// <summary>samples/damon mtier.c, prcl.c and wsse.c.</summary>
public class SampleTranslationTests
{
    private static readonly TestOperations Paddr = new(OperationsId.Paddr);

    [Fact]
    public void Mtier_builds_a_promote_context_on_node_1_and_a_demote_context_on_node_0()
    {
        var sample = new MtierSample(MtierParams.Default with { DetectNodeAddresses = true }, PcLayout);
        var promote = sample.BuildContext(true, Paddr);
        var demote = sample.BuildContext(false, Paddr);

        foreach (var ctx in new[] { promote, demote })
        {
            // 5 ms / 100 ms / 60 s, 10..1000 regions, intervals goal {400 bp, 3, 5 ms, 10 s}.
            Assert.Equal((5_000UL, 100_000UL, 60_000_000UL, 10UL, 1000UL),
                (ctx.Attrs.SampleIntervalUs, ctx.Attrs.AggrIntervalUs, ctx.Attrs.OpsUpdateIntervalUs, ctx.Attrs.MinNrRegions, ctx.Attrs.MaxNrRegions));
            Assert.Equal(new IntervalsGoal(400, 3, 5_000, 10_000_000), ctx.Attrs.IntervalsGoal);
            var s = Assert.Single(ctx.Schemes);
            Assert.Equal(1_000_000UL, s.ApplyIntervalUs);
            Assert.Equal((0UL, 200 * MiB, 1000UL), (s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs));
            Assert.Equal((0u, 100u, 100u), (s.Quota.WeightSz, s.Quota.WeightNrAccesses, s.Quota.WeightAge));
            Assert.Equal(DamosWmarkMetric.None, s.Wmarks.Metric);
        }
        // Node spans from the layout (nid_to_phys).
        Assert.Equal(new AddrRange(0x100000000, 0x240000000), Assert.Single(Assert.Single(promote.Targets).Regions).Range);
        Assert.Equal(new AddrRange(0, 0xc0000000), Assert.Single(Assert.Single(demote.Targets).Regions).Range);

        var ps = promote.Schemes[0];
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue), ps.Pattern);
        Assert.Equal((DamosAction.MigrateHot, 0), (ps.Action, ps.TargetNid));
        Assert.Equal((DamosQuotaGoalMetric.NodeMemUsedBp, 9970UL, 0), (ps.Quota.Goals[0].Metric, ps.Quota.Goals[0].TargetValue, ps.Quota.Goals[0].Nid));
        var pf = Assert.Single(ps.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, true), (pf.Type, pf.Matching, pf.Allow));

        var ds = demote.Schemes[0];
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 0, 0, 0, uint.MaxValue), ds.Pattern);
        Assert.Equal((DamosAction.MigrateCold, 1), (ds.Action, ds.TargetNid));
        Assert.Equal((DamosQuotaGoalMetric.NodeMemFreeBp, 50UL, 0), (ds.Quota.Goals[0].Metric, ds.Quota.Goals[0].TargetValue, ds.Quota.Goals[0].Nid));
        var df = Assert.Single(ds.OpsFilters);
        Assert.Equal((DamosFilterType.Young, true, false), (df.Type, df.Matching, df.Allow));
    }

    [Fact]
    public void Mtier_uses_the_address_parameters_and_goal_parameters_when_not_detecting()
    {
        var p = MtierParams.Default with
        {
            Node0StartAddr = 0, Node0EndAddr = 1 * GiB, Node1StartAddr = 1 * GiB, Node1EndAddr = 3 * GiB,
            Node0MemUsedBp = 9000, Node0MemFreeBp = 500,
        };
        var sample = new MtierSample(p, PcLayout);
        var promote = sample.BuildContext(true, Paddr);
        var demote = sample.BuildContext(false, Paddr);
        Assert.Equal(new AddrRange(1 * GiB, 3 * GiB), promote.Targets[0].FirstRegion!.Range);
        Assert.Equal(new AddrRange(0, 1 * GiB), demote.Targets[0].FirstRegion!.Range);
        Assert.Equal(9000UL, promote.Schemes[0].Quota.Goals[0].TargetValue);
        Assert.Equal(500UL, demote.Schemes[0].Quota.Goals[0].TargetValue);
    }

    [Fact]
    public void Mtier_rejects_unset_ranges_and_offline_nodes()
    {
        var e = Assert.Throws<ModuleParamException>(() => new MtierSample(MtierParams.Default, PcLayout).BuildContext(true, Paddr));
        Assert.Equal("node1_start_addr", e.Field);
        Assert.Contains("start must be below end", e.Message);
        var offline = new StaticMemoryLayout([new AddrRange(0, GiB)], new Dictionary<int, AddrRange> { [0] = new(0, GiB) });
        e = Assert.Throws<ModuleParamException>(() =>
            new MtierSample(MtierParams.Default with { DetectNodeAddresses = true }, offline).BuildContext(true, Paddr));
        Assert.Equal("detect_node_addresses: NUMA node 1 is not online", e.Message);
    }

    [Fact]
    public void Mtier_starts_both_contexts_exclusively()
    {
        var bed = new ModuleBed();
        var sample = new MtierSample(MtierParams.Default with { DetectNodeAddresses = true }, PcLayout, bed.Metrics);
        var ks = sample.Start(bed.Engine);
        Assert.Equal(["kdamond.0", "kdamond.1"], ks.Select(k => k.Name));
        Assert.Equal(2, bed.Engine.NrRunningKdamonds);
        var other = new MtierSample(sample.Params, PcLayout);
        Assert.Equal(Errno.EBUSY, Assert.Throws<DamonException>(() => other.Start(bed.Engine)).Errno);
        foreach (var k in ks)
            bed.Driver.Add(k);
        bed.RunUntilMs(50);
        bed.Driver.StopAll();
        Assert.Equal(0, bed.Engine.NrRunningKdamonds);
    }

    [Fact]
    public void Prcl_pages_out_regions_unaccessed_for_50_aggregations_without_quota()
    {
        var ctx = new PrclSample(new PrclParams { TargetPid = 42 }).BuildContext(new TestOperations(OperationsId.Vaddr));
        Assert.Equal(42, Assert.Single(ctx.Targets).Pid);
        Assert.Equal(MonitoringAttrs.Default with { AggrSamples = 20 }, ctx.Attrs);
        var s = Assert.Single(ctx.Schemes);
        Assert.Equal(new DamosAccessPattern(4096, ulong.MaxValue, 0, 0, 50, uint.MaxValue), s.Pattern);
        Assert.Equal((DamosAction.Pageout, 0UL, Damos.NumaNoNode), (s.Action, s.ApplyIntervalUs, s.TargetNid));
        Assert.Equal((0UL, 0UL, 0UL), (s.Quota.Ms, s.Quota.Sz, s.Quota.ResetIntervalMs));
        Assert.Equal(DamosWmarkMetric.None, s.Wmarks.Metric);
        Assert.Equal("target_pid: must name a process (is 0)",
            Assert.Throws<ModuleParamException>(() => new PrclSample(PrclParams.Default).BuildContext(new TestOperations())).Message);
    }

    [Fact]
    public void Wsse_reports_the_bytes_of_accessed_regions_after_each_aggregation()
    {
        var bed = new ModuleBed(OperationsId.Vaddr);
        // Init gives the target four 1 MiB regions; the second and fourth are accessed.
        bed.Ops.InitRegions = (_, t) =>
        {
            for (ulong i = 0; i < 4; i++)
                t.AddRegion(t.NewRegion(i * MiB, (i + 1) * MiB));
        };
        bed.Ops.IsAccessed = (_, addr) => addr / MiB is 1 or 3;
        var sample = new WsseSample(new WsseParams { TargetPid = 7 }, seed: 5);
        var reports = new List<ulong>();
        sample.WssReported += reports.Add;
        var k = sample.Start(bed.Engine);
        bed.Driver.Add(k);
        bed.RunUntilMs(100);
        Assert.Single(reports);
        Assert.Equal(2 * MiB, reports[0]);
        Assert.Empty(k.Ctx.Schemes);
        bed.Driver.StopAll();
    }
}
