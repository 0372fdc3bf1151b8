using Damon.Config.Engine;
using Damon.Config.Io;
using Damon.Config.Report;
using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>Engine → status dump (report damon): stats, tried regions, and their JSON/YAML round trip.</summary>
public class StatusMappingTests
{
    private static (DamonContext Ctx, Damos Scheme) Context()
    {
        var ctx = new DamonContext(3);
        var t = new Target(77);
        DamonCore.SetRegions(t, [new AddrRange(0x10000, 0x20000), new AddrRange(0x40000, 0x48000)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        var regions = t.Regions.ToList();
        (regions[0].Age, regions[0].NrAccesses) = (10, 4);
        (regions[1].Age, regions[1].NrAccesses) = (1, 2);
        // Any size and rate, age >= 5 aggregation intervals: only the first region qualifies.
        var s = new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, uint.MaxValue, 5, uint.MaxValue), DamosAction.Pageout) { MaxNrSnapshots = 9 };
        DamosCore.AddScheme(ctx, s);
        s.Stat.NrTried = 12;
        s.Stat.SzTried = 3 * 4096 + 7;
        s.Stat.NrApplied = 5;
        s.Stat.SzApplied = 8192;
        s.Stat.SzOpsFilterPassed = 4096;
        s.Stat.QtExceeds = 2;
        s.Stat.NrSnapshots = 4;
        return (ctx, s);
    }

    private static KdamondsSpec Status()
    {
        var (ctx, _) = Context();
        return new KdamondsSpec
        {
            Kdamonds = [StatusMapping.Kdamond(true, 4321, [(ctx, OperationsId.Vaddr)], new MemcgPathTable(), withTriedRegions: true)],
        };
    }

    [Fact]
    public void StatsAndTriedRegionsComeFromTheEngine()
    {
        var (ctx, s) = Context();
        var spec = StatusMapping.Context(ctx, OperationsId.Vaddr, new MemcgPathTable(), withTriedRegions: true).Schemes.Single();
        var st = spec.Stats!;
        Assert.Equal((s.Stat.NrTried, s.Stat.SzTried, s.Stat.NrApplied, s.Stat.SzApplied), (st.NrTried, st.SzTried, st.NrApplied, st.SzApplied));
        Assert.Equal((s.Stat.SzOpsFilterPassed, s.Stat.QtExceeds, s.Stat.NrSnapshots, s.MaxNrSnapshots),
            (st.SzOpsFilterPassed, st.QtExceeds, st.NrSnapshots, st.MaxNrSnapshots));
        var tried = Assert.Single(spec.TriedRegions!);
        Assert.Equal((0x10000UL, 0x20000UL, 4UL, 10UL), (tried.Start, tried.End, tried.NrAccesses, tried.Age));
        Assert.Equal(0x10000UL, spec.TriedBytes);
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
        Assert.Contains("\n            tried regions (65536)\n                [65536, 131072) (65536): nr_accesses: 4, age: 10\n", text);
    }
}
