using Damon.Config.Engine;
using Damon.Config.Io;
using Damon.Config.Report;
using Damon.Config.Schema;
using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>Engine → status dump (report damon): stats, tried regions, and their JSON/YAML round trip.</summary>
public class StatusMappingTests
{
    /// <summary>
    /// Three 32 KiB regions, none accessed, aged 10, 1 and 1 aggregation intervals; a pageout of
    /// regions at least 5 intervals old. The kdamond runs to its first apply round (100 ms), where
    /// the first region (now age 11) is the only one tried, with a tried-regions update pending.
    /// The stats are then set to distinct values, to see each one land in its place.
    /// </summary>
    private static (DamonContext Ctx, Damos Scheme, DamosTriedRegionsUpdate Tried) Context()
    {
        var ctx = new DamonContext(3) { Ops = new TestOperations() };
        var t = new Target(77);
        DamonCore.SetRegions(t, [new AddrRange(0x10000, 0x18000), new AddrRange(0x40000, 0x48000), new AddrRange(0x50000, 0x58000)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        DamonCore.SetAttrs(ctx, new MonitoringAttrs { SampleIntervalUs = 5000, AggrIntervalUs = 100_000, MinNrRegions = 3, MaxNrRegions = 3 });
        var regions = t.Regions.ToList();
        (regions[0].Age, regions[1].Age, regions[2].Age) = (10, 1, 1);
        var s = new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, uint.MaxValue, 5, uint.MaxValue), DamosAction.Pageout) { MaxNrSnapshots = 9 };
        DamosCore.AddScheme(ctx, s);
        var kdamond = new Kdamond(ctx);
        var tried = DamosTriedRegionsUpdate.Start(kdamond);
        var driver = new VirtualTimeDriver();
        driver.Add(kdamond);
        driver.RunUntil(100_000);
        Assert.True(tried.Task.IsCompletedSuccessfully);
        s.Stat.NrTried = 12;
        s.Stat.SzTried = 3 * 4096 + 7;
        s.Stat.NrApplied = 5;
        s.Stat.SzApplied = 8192;
        s.Stat.SzOpsFilterPassed = 4096;
        s.Stat.QtExceeds = 2;
        s.Stat.NrSnapshots = 4;
        return (ctx, s, tried);
    }

    private static KdamondsSpec Status()
    {
        var (ctx, _, tried) = Context();
        return new KdamondsSpec
        {
            Kdamonds = [StatusMapping.Kdamond(true, 4321, [(ctx, OperationsId.Vaddr, tried)], new MemcgPathTable(), withTriedRegions: true)],
        };
    }

    [Fact]
    public void StatsAndTriedRegionsComeFromTheEngine()
    {
        var (ctx, s, tried) = Context();
        var spec = StatusMapping.Context(ctx, OperationsId.Vaddr, new MemcgPathTable(), withTriedRegions: true, tried).Schemes.Single();
        var st = spec.Stats!;
        Assert.Equal((s.Stat.NrTried, s.Stat.SzTried, s.Stat.NrApplied, s.Stat.SzApplied), (st.NrTried, st.SzTried, st.NrApplied, st.SzApplied));
        Assert.Equal((s.Stat.SzOpsFilterPassed, s.Stat.QtExceeds, s.Stat.NrSnapshots, s.MaxNrSnapshots),
            (st.SzOpsFilterPassed, st.QtExceeds, st.NrSnapshots, st.MaxNrSnapshots));
        // The region the walk saw: pageout reset its age afterwards, the status keeps what was tried.
        var r = Assert.Single(spec.TriedRegions!);
        Assert.Equal((0x10000UL, 0x18000UL, 0UL, 11UL, 0x8000UL), (r.Start, r.End, r.NrAccesses, r.Age, r.SzFilterPassed));
        Assert.Equal(0UL, ctx.Targets[0].Regions.First().Age);
        Assert.Equal(0x8000UL, spec.TriedBytes);
    }

    [Fact]
    public void WithoutAnUpdateTheTriedRegionsAreEmpty()
    {
        var (ctx, _, _) = Context();
        var spec = StatusMapping.Context(ctx, OperationsId.Vaddr, new MemcgPathTable(), withTriedRegions: true).Schemes.Single();
        Assert.Empty(spec.TriedRegions!);
        Assert.Equal(0UL, spec.TriedBytes);
        Assert.Null(StatusMapping.Context(ctx, OperationsId.Vaddr, new MemcgPathTable(), withTriedRegions: false).Schemes.Single().TriedRegions);
    }

    [Fact]
    public void RawStatusRoundTripsThroughJsonAndYaml()
    {
        var spec = Status();
        string json = KdamondsJson.Write(spec, raw: true, paramsOnly: false);
        Assert.Equal(json, KdamondsJson.Write(KdamondsJson.Read(json), raw: true, paramsOnly: false));
        string yaml = KdamondsYaml.Write(spec, raw: true, paramsOnly: false);
        Assert.Equal(json, KdamondsJson.Write(KdamondsYaml.Read(yaml), raw: true, paramsOnly: false));
        var back = KdamondsJson.Read(json).Kdamonds.Single();
        Assert.Equal(("on", (int?)4321), (back.State, back.Pid));
        Assert.Equal(12UL, back.Contexts[0].Schemes[0].Stats!.NrTried);
    }

    [Fact]
    public void ParametersOnlyLeaveOutStatus()
    {
        var spec = Status();
        string parameters = KdamondsJson.Write(spec, raw: true);
        foreach (var key in new[] { "\"stats\"", "\"tried_regions\"", "\"state\"", "\"pid\": 4321", "nr_tried" })
            Assert.DoesNotContain(key, parameters);
        Assert.Contains("\"nr_tried\": 12", KdamondsJson.Write(spec, raw: true, paramsOnly: false));
        Assert.DoesNotContain("statistics", KdamondsReport.Render(spec, raw: false));
    }

    [Fact]
    public void ReportShowsDamoStatisticsLines()
    {
        string text = KdamondsReport.Render(Status(), raw: true, status: true);
        Assert.Contains("    state: on, pid: 4321\n", text);
        Assert.Contains("\n            statistics\n                tried 12 times (12295)\n                applied 5 times (8192)\n" +
                        "                4096 passed filters\n                quota exceeded 2 times\n                4 snapshots (max 9)\n", text);
        Assert.Contains("\n            tried regions (32768)\n                [65536, 98304) (32768): nr_accesses: 0, age: 11, filter_passed: 32768\n", text);
    }
}
