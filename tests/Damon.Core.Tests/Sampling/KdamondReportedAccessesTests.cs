using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Xunit;

namespace Damon.Core.Tests.Sampling;

/// <summary>
/// The kdamond's sampling step with each primitive: page_fault folds the reports made during the
/// sample instead of calling ops.check_accesses; page_table calls it and discards reports.
/// One 64 MiB paddr target; a world that, every sample, reports one access at 1 MiB + 5.
/// </summary>
public class KdamondReportedAccessesTests
{
    private const ulong MiB = 1 << 20;
    private const ulong SampleUs = 5_000;
    private const ulong AggrUs = 100_000;

    private sealed class ReportingWorld(DamonContext ctx) : IVirtualWorld
    {
        public int NrReports;

        public void AdvanceTo(ulong nowUs)
        {
            DamonReports.ReportAccess(ctx, new DamonAccessReport(Paddr: MiB + 5, Vaddr: 0, Size: 1, Cpu: 0, Tid: 1, IsWrite: false));
            NrReports++;
        }
    }

    private static (DamonContext, TestOperations, VirtualTimeDriver, ReportingWorld) Rig(bool pageFault)
    {
        var ctx = new DamonContext(seed: 5);
        var ops = new TestOperations(OperationsId.Paddr) { IsAccessed = (_, _) => true };
        ctx.Ops = ops;
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = SampleUs,
            AggrIntervalUs = AggrUs,
            MinNrRegions = 10,
            MaxNrRegions = 100,
            SampleControl = new DamonSampleControl { PrimitivesEnabled = new(!pageFault, pageFault) },
        });
        var t = new Target();
        DamonCore.SetRegions(t, [new AddrRange(0, 64 * MiB)], ctx.MinRegionSz);
        ctx.AddTarget(t);
        var world = new ReportingWorld(ctx);
        var driver = new VirtualTimeDriver(world);
        driver.Add(new Kdamond(ctx));
        return (ctx, ops, driver, world);
    }

    [Fact]
    public void page_fault_folds_reports_in_place_of_check_accesses()
    {
        var (ctx, ops, driver, world) = Rig(pageFault: true);
        var windows = new List<(uint Hot, uint MaxOther)>();
        ctx.Aggregated = c =>
        {
            uint hot = 0, other = 0;
            foreach (var r in c.Targets[0].Regions)
            {
                if (r.Start <= MiB + 5 && MiB + 5 < r.End) hot = r.NrAccesses;
                else other = Math.Max(other, r.NrAccesses);
            }
            windows.Add((hot, other));
        };
        driver.RunFor(10 * AggrUs);
        driver.StopAll();
        Assert.Equal(0ul, ops.NrCheckCalls);
        Assert.True(ops.NrPrepareCalls > 0);
        // Every sample of every window saw the report in the region holding it, and no other.
        Assert.Equal(Enumerable.Repeat(((uint)(AggrUs / SampleUs), 0u), 10), windows);
        var s = ctx.AccessReports.Stats;
        Assert.Equal((ulong)world.NrReports, s.NrReported);
        Assert.Equal(0ul, s.NrStale);
    }

    [Fact]
    public void page_table_checks_accesses_and_discards_reports()
    {
        var (ctx, ops, driver, world) = Rig(pageFault: false);
        uint[]? last = null;
        ctx.Aggregated = c => last = [.. c.Targets[0].Regions.Select(r => r.NrAccesses)];
        driver.RunFor(3 * AggrUs);
        Assert.Equal(3 * AggrUs / SampleUs, ops.NrCheckCalls);
        // Each sample discarded what came in during it; only the sample still running holds one.
        Assert.Equal(1, ctx.AccessReports.Count);
        Assert.Equal((ulong)world.NrReports, ctx.AccessReports.Stats.NrReported);
        driver.StopAll();
        // Every address is accessed for the test ops: all regions count every sample.
        Assert.All(last!, n => Assert.Equal((uint)(AggrUs / SampleUs), n));
        Assert.Equal(0ul, ctx.AccessReports.Stats.NrFolded);
    }
}
