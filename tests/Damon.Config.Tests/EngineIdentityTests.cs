using Damon.Config.Engine;
using Damon.Config.Io;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Probes;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>engine → model → engine gives back the same context, directly and through JSON/YAML text.</summary>
public class EngineIdentityTests
{
    private static DamonContext Rich(MemcgPathTable memcgs, OperationsId ops, ulong quotaSz = 123_456_789)
    {
        var ctx = new DamonContext(7) { Pause = true };
        if (ops == OperationsId.Paddr)
        {
            ctx.AddrUnit = 4;
            ctx.MinRegionSz = 1024;
        }
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = 2_000, AggrIntervalUs = 60_000, OpsUpdateIntervalUs = 3_000_000,
            IntervalsGoal = new IntervalsGoal(250, 4, 1_000, 50_000), MinNrRegions = 12, MaxNrRegions = 345,
        });
        var t = new Target(ops == OperationsId.Paddr ? 0 : 4242) { Obsolete = true };
        DamonCore.SetRegions(t, [new AddrRange(0x10000, 0x40000), new AddrRange(0x80000, 0x100000)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        ctx.AddTarget(new Target(ops == OperationsId.Paddr ? 0 : 4343));

        var probe = new DamonProbe(5);
        probe.Filters.Add(new DamonFilter(DamonFilterType.Anon, false, true));
        probe.Filters.Add(new DamonFilter(DamonFilterType.Memcg, true, false, memcgs.IdOf("/probe/cg")));
        ctx.Probes.Add(probe);

        var quota = new DamosQuota
        {
            Ms = 15, Sz = quotaSz, ResetIntervalMs = 2_500, GoalTuner = DamosQuotaGoalTuner.Temporal,
            FailChargeNum = 3, FailChargeDenom = 8, WeightSz = 11, WeightNrAccesses = 22, WeightAge = 33,
        };
        var wmarks = new DamosWatermarks { Metric = DamosWmarkMetric.FreeMemRate, IntervalUs = 5_000_000, High = 600, Mid = 400, Low = 50 };
        var s = new Damos(new DamosAccessPattern(4096, 1 << 30, 2, 17, 3, 999), DamosAction.MigrateHot, 250_000, quota, wmarks, targetNid: 2)
        {
            MaxNrSnapshots = 77,
        };
        s.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 1234) { CurrentValue = 99 });
        s.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemcgFreeBp, 2500) { Nid = 1, MemcgId = memcgs.IdOf("/workload") });
        s.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.SomeMemPsiUs, 1000));
        s.MigrateDests.NodeIdArr = [0, 1];
        s.MigrateDests.WeightArr = [3, 7];
        s.AddFilter(new DamosFilter(DamosFilterType.Addr, true, false) { AddrRange = new AddrRange(0x20000, 0x30000) });
        s.AddFilter(new DamosFilter(DamosFilterType.Target, false, true) { TargetIdx = 1 });
        s.AddFilter(new DamosFilter(DamosFilterType.Memcg, true, true) { MemcgId = memcgs.IdOf("/workload") });
        s.AddFilter(new DamosFilter(DamosFilterType.HugepageSize, true, false) { SzRange = new SizeRange(2 << 20, 1 << 30) });
        s.AddFilter(new DamosFilter(DamosFilterType.Unmapped, false, false));
        DamosCore.SetFiltersDefaultReject(s);
        DamosCore.AddScheme(ctx, s);
        DamosCore.AddScheme(ctx, new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        return ctx;
    }

    internal static void AssertSame(DamonContext a, DamonContext b)
    {
        Assert.Equal(a.Attrs, b.Attrs);
        Assert.Equal((a.AddrUnit, a.MinRegionSz, a.Pause), (b.AddrUnit, b.MinRegionSz, b.Pause));
        Assert.Equal(a.Targets.Count, b.Targets.Count);
        for (int i = 0; i < a.Targets.Count; i++)
        {
            Assert.Equal((a.Targets[i].Pid, a.Targets[i].Obsolete), (b.Targets[i].Pid, b.Targets[i].Obsolete));
            Assert.Equal(a.Targets[i].Regions.Select(r => r.Range), b.Targets[i].Regions.Select(r => r.Range));
        }
        Assert.Equal(a.Probes.Count, b.Probes.Count);
        for (int i = 0; i < a.Probes.Count; i++)
        {
            Assert.Equal(a.Probes[i].Weight, b.Probes[i].Weight);
            Assert.Equal(a.Probes[i].Filters.Select(f => (f.Type, f.Matching, f.Allow, f.MemcgId)),
                b.Probes[i].Filters.Select(f => (f.Type, f.Matching, f.Allow, f.MemcgId)));
        }
        Assert.Equal(a.Schemes.Count, b.Schemes.Count);
        for (int i = 0; i < a.Schemes.Count; i++)
        {
            Damos x = a.Schemes[i], y = b.Schemes[i];
            Assert.Equal((x.Pattern, x.Action, x.ApplyIntervalUs, x.TargetNid, x.MaxNrSnapshots), (y.Pattern, y.Action, y.ApplyIntervalUs, y.TargetNid, y.MaxNrSnapshots));
            Assert.Equal(x.MigrateDests.NodeIdArr, y.MigrateDests.NodeIdArr);
            Assert.Equal(x.MigrateDests.WeightArr, y.MigrateDests.WeightArr);
            DamosQuota p = x.Quota, q = y.Quota;
            Assert.Equal((p.Ms, p.Sz, p.ResetIntervalMs, p.GoalTuner, p.FailChargeNum, p.FailChargeDenom, p.WeightSz, p.WeightNrAccesses, p.WeightAge),
                (q.Ms, q.Sz, q.ResetIntervalMs, q.GoalTuner, q.FailChargeNum, q.FailChargeDenom, q.WeightSz, q.WeightNrAccesses, q.WeightAge));
            Assert.Equal(p.Goals.Select(g => (g.Metric, g.TargetValue, g.CurrentValue, g.Nid, g.MemcgId)),
                q.Goals.Select(g => (g.Metric, g.TargetValue, g.CurrentValue, g.Nid, g.MemcgId)));
            Assert.Equal((x.Wmarks.Metric, x.Wmarks.IntervalUs, x.Wmarks.High, x.Wmarks.Mid, x.Wmarks.Low),
                (y.Wmarks.Metric, y.Wmarks.IntervalUs, y.Wmarks.High, y.Wmarks.Mid, y.Wmarks.Low));
            static object Key(DamosFilter f) => (f.Type, f.Matching, f.Allow, f.MemcgId, f.AddrRange, f.TargetIdx, f.SzRange);
            Assert.Equal(x.CoreFilters.Select(Key), y.CoreFilters.Select(Key));
            Assert.Equal(x.OpsFilters.Select(Key), y.OpsFilters.Select(Key));
            Assert.Equal(x.OpsFiltersDefaultReject, y.OpsFiltersDefaultReject);
        }
    }

    [Theory]
    [InlineData(OperationsId.Vaddr)]
    [InlineData(OperationsId.Paddr)]
    public void Direct(OperationsId ops)
    {
        var memcgs = new MemcgPathTable();
        var original = Rich(memcgs, ops);
        var spec = ContextMapping.FromEngine(original, ops, memcgs);
        var back = ContextMapping.ToEngine(spec, memcgs);
        Assert.Equal(ops, back.OpsId);
        AssertSame(original, back.Context);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ThroughText(bool yaml, bool raw)
    {
        var memcgs = new MemcgPathTable();
        // Human sizes keep three decimals of their unit, as damo prints them; raw ones are exact.
        var original = Rich(memcgs, OperationsId.Vaddr, raw ? 123_456_789UL : 200UL << 20);
        var spec = new KdamondsSpec { Kdamonds = [new KdamondSpec { Contexts = [ContextMapping.FromEngine(original, OperationsId.Vaddr, memcgs)] }] };
        var read = yaml ? KdamondsYaml.Read(KdamondsYaml.Write(spec, raw)) : KdamondsJson.Read(KdamondsJson.Write(spec, raw));
        var back = Assert.Single(ContextMapping.ToEngine(read, memcgs));
        AssertSame(original, back.Context);
    }

    [Fact]
    public void HumanSizesAreRoundedLikeDamos()
    {
        var memcgs = new MemcgPathTable();
        var spec = new KdamondsSpec { Kdamonds = [new KdamondSpec { Contexts = [ContextMapping.FromEngine(Rich(memcgs, OperationsId.Vaddr), OperationsId.Vaddr, memcgs)] }] };
        var text = KdamondsJson.Write(spec, raw: false);
        Assert.Contains("\"sz_bytes\": \"117.738 MiB\"", text);
        Assert.Equal(123_457_241UL, KdamondsJson.Read(text).Kdamonds[0].Contexts[0].Schemes[0].Quotas.SzBytes);
    }

    [Fact]
    public void MemcgPathsGetIdsOnFirstUse()
    {
        var table = new MemcgPathTable();
        Assert.Equal(1UL, table.IdOf("/a"));
        Assert.Equal(2UL, table.IdOf("/b"));
        Assert.Equal(1UL, table.IdOf("/a"));
        Assert.Equal("/b", table.PathOf(2));
        Assert.Null(table.PathOf(3));
    }

    [Fact]
    public void SampleControlWithBothPrimitivesIsRejectedAsTheKernelCommitDoes()
    {
        var spec = KdamondsJson.Read("""{"kdamonds": [{"contexts": [{"ops": "paddr", "sample_control": {"primitives_enabled": {"page_table": true, "page_fault": true}, "sample_filters": []}}]}]}""");
        var e = Assert.Throws<ConfigException>(() => ContextMapping.ToEngine(spec));
        Assert.Equal("kdamonds[0].contexts[0]: rejected: sample.primitives: exactly one of page_table and page_fault must be enabled (both are)", e.Message);
        Assert.IsType<Damon.Core.DamonException>(e.InnerException);
    }

    [Fact]
    public void SampleControlReachesTheEngineAndComesBack()
    {
        var spec = KdamondsJson.Read("""
            {"kdamonds": [{"contexts": [{"ops": "paddr", "sample_control": {"primitives_enabled": {"page_table": false, "page_fault": true},
              "sample_filters": [{"filter_type": "write", "matching": true, "allow": true, "cpumask": null, "tid_arr": null},
                                 {"filter_type": "cpumask", "matching": false, "allow": false, "cpumask": "0,1,2,3,8", "tid_arr": null},
                                 {"filter_type": "threads", "matching": true, "allow": true, "cpumask": null, "tid_arr": "12,34"}]}}]}]}
            """);
        var ctx = ContextMapping.ToEngine(spec)[0].Context;
        var sc = ctx.Attrs.SampleControl;
        Assert.True(sc.UsesReports);
        Assert.Equal(["allow write", "reject none cpumask 0-3,8", "allow threads 12,34"], sc.SampleFilters.Select(f => f.ToString()));
        var back = ContextMapping.FromEngine(ctx, Damon.Core.Operations.OperationsId.Paddr, new MemcgPathTable()).SampleControl;
        Assert.Equal("""{"primitives_enabled":{"page_table":false,"page_fault":true},"sample_filters":[{"filter_type":"write","matching":true,"allow":true,"cpumask":null,"tid_arr":null},{"filter_type":"cpumask","matching":false,"allow":false,"cpumask":"0-3,8","tid_arr":null},{"filter_type":"threads","matching":true,"allow":true,"cpumask":null,"tid_arr":"12,34"}]}""",
            back.Write().ToJsonString());
    }
}
