using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Sampling;

/// <summary>
/// kdamond_check_reported_accesses (§5) on hand-built report sequences: exact nr_accesses of every
/// region after each sample. Regions (bytes): [0, 4096) [4096, 8192) [8192, 16384).
/// </summary>
public class ReportFoldingTests
{
    private const ulong SampleUs = 5_000;
    private const ulong SampleNs = SampleUs * 1000;

    private static (DamonContext Ctx, ManualClock Clock) NewCtx(OperationsId ops, ulong addrUnit = 1, params int[] pids)
    {
        var clock = new ManualClock();
        var ctx = new DamonContext(seed: 7) { Ops = new TestOperations(ops), Clock = clock, AddrUnit = addrUnit };
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = SampleUs,
            AggrIntervalUs = 100_000,
            SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true) },
        });
        foreach (int pid in pids.Length == 0 ? [0] : pids)
        {
            var t = NewTarget((0, 4096 / addrUnit), (4096 / addrUnit, 8192 / addrUnit), (8192 / addrUnit, 16384 / addrUnit));
            t.Pid = pid;
            ctx.AddTarget(t);
        }
        return (ctx, clock);
    }

    private static uint[] NrAccesses(Target t) => [.. t.Regions.Select(r => r.NrAccesses)];

    private static DamonAccessReport Paddr(ulong addr, ulong size = 1, bool write = false) =>
        new(Paddr: addr, Vaddr: 0, Size: size, Cpu: 0, Tid: 100, IsWrite: write);

    [Fact]
    public void a_region_counts_at_most_one_access_per_sample_and_unreported_regions_none()
    {
        var (ctx, clock) = NewCtx(OperationsId.Paddr);
        var t = ctx.Targets[0];

        // Sample 1: three reports in region 0, one in region 2.
        Assert.True(DamonReports.ReportAccess(ctx, Paddr(10)));
        DamonReports.ReportAccess(ctx, Paddr(20));
        DamonReports.ReportAccess(ctx, Paddr(4095));
        DamonReports.ReportAccess(ctx, Paddr(16383));
        clock.AdvanceUs(SampleUs);
        Assert.Equal(1u, DamonReports.KdamondCheckReportedAccesses(ctx));
        Assert.Equal([1u, 0u, 1u], NrAccesses(t));

        // Sample 2: region 1 only; the buffer was emptied by the first fold.
        DamonReports.ReportAccess(ctx, Paddr(4096));
        clock.AdvanceUs(SampleUs);
        Assert.Equal(1u, DamonReports.KdamondCheckReportedAccesses(ctx));
        Assert.Equal([1u, 1u, 1u], NrAccesses(t));

        // Sample 3: regions 0 and 1 again; the largest count is returned.
        DamonReports.ReportAccess(ctx, Paddr(0));
        DamonReports.ReportAccess(ctx, Paddr(8191));
        clock.AdvanceUs(SampleUs);
        Assert.Equal(2u, DamonReports.KdamondCheckReportedAccesses(ctx));
        Assert.Equal([2u, 2u, 1u], NrAccesses(t));

        // Sample 4: nothing reported, nothing changes.
        clock.AdvanceUs(SampleUs);
        Assert.Equal(2u, DamonReports.KdamondCheckReportedAccesses(ctx));
        Assert.Equal([2u, 2u, 1u], NrAccesses(t));

        var stats = ctx.AccessReports.Stats;
        Assert.Equal(new DamonAccessReportStats(NrReported: 7, NrDroppedFull: 0, NrDroppedBusy: 0, NrStale: 0, NrFiltered: 0, NrFolded: 7), stats);
    }

    [Fact]
    public void reports_older_than_one_sample_interval_are_ignored()
    {
        var (ctx, clock) = NewCtx(OperationsId.Paddr);
        var t = ctx.Targets[0];
        clock.NowNs = 10 * SampleNs;

        // Exactly one sample interval old: still counts (report_jiffies >= now - sample_interval).
        DamonReports.ReportAccess(ctx, Paddr(100));
        clock.NowNs += SampleNs;
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([1u, 0u, 0u], NrAccesses(t));

        // One nanosecond older: ignored.
        DamonReports.ReportAccess(ctx, Paddr(100));
        clock.NowNs += SampleNs + 1;
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([1u, 0u, 0u], NrAccesses(t));

        // A source's own time is kept: a report stamped long ago is stale however recently it was buffered.
        ctx.AccessReports.Report(Paddr(5000) with { ReportTimeNs = clock.NowNs - 3 * SampleNs });
        ctx.AccessReports.Report(Paddr(9000) with { ReportTimeNs = clock.NowNs });
        clock.NowNs += 10;
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([1u, 0u, 1u], NrAccesses(t));
        Assert.Equal(2ul, ctx.AccessReports.Stats.NrStale);
        Assert.Equal(2ul, ctx.AccessReports.Stats.NrFolded);
    }

    [Fact]
    public void a_report_counts_only_for_a_region_that_wholly_contains_it()
    {
        var (ctx, clock) = NewCtx(OperationsId.Paddr);
        var t = ctx.Targets[0];
        DamonReports.ReportAccess(ctx, Paddr(4000, size: 200));   // straddles regions 0 and 1
        DamonReports.ReportAccess(ctx, Paddr(8192, size: 8192));  // exactly region 2
        DamonReports.ReportAccess(ctx, Paddr(16384));             // past the last region
        DamonReports.ReportAccess(ctx, Paddr(ulong.MaxValue, size: 2)); // wraps
        clock.AdvanceUs(1);
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([0u, 0u, 1u], NrAccesses(t));
        Assert.Equal(1ul, ctx.AccessReports.Stats.NrFolded);
    }

    [Fact]
    public void paddr_folds_physical_bytes_onto_regions_in_addr_unit()
    {
        // addr_unit 4: regions [0, 1024) [1024, 2048) [2048, 4096) in units are the same bytes.
        var (ctx, clock) = NewCtx(OperationsId.Paddr, addrUnit: 4);
        var t = ctx.Targets[0];
        Assert.Equal((0ul, 1024ul), RangesOf(t)[0]);
        DamonReports.ReportAccess(ctx, Paddr(4095));
        DamonReports.ReportAccess(ctx, Paddr(12000));
        DamonReports.ReportAccess(ctx, new DamonAccessReport(Paddr: 0, Vaddr: 5000, Size: 1, Cpu: 0, Tid: 1, IsWrite: false));
        clock.AdvanceUs(1);
        DamonReports.KdamondCheckReportedAccesses(ctx);
        // The third report's virtual address is not looked at by a paddr context (its paddr 0 is region 0's).
        Assert.Equal([1u, 0u, 1u], NrAccesses(t));
    }

    [Fact]
    public void vaddr_folds_virtual_addresses_for_the_reporting_process()
    {
        var (ctx, clock) = NewCtx(OperationsId.Vaddr, pids: [11, 22]);
        var (a, b) = (ctx.Targets[0], ctx.Targets[1]);
        DamonReports.ReportAccess(ctx, new DamonAccessReport(Paddr: 9000, Vaddr: 100, Size: 1, Cpu: 1, Tid: 111, IsWrite: false, Pid: 11));
        DamonReports.ReportAccess(ctx, new DamonAccessReport(Paddr: 100, Vaddr: 5000, Size: 1, Cpu: 2, Tid: 222, IsWrite: true, Pid: 22));
        // No pid: every target's region at that address counts.
        DamonReports.ReportAccess(ctx, new DamonAccessReport(Paddr: 0, Vaddr: 9000, Size: 1, Cpu: 3, Tid: 333, IsWrite: false));
        // A process that is no target.
        DamonReports.ReportAccess(ctx, new DamonAccessReport(Paddr: 0, Vaddr: 5000, Size: 1, Cpu: 3, Tid: 444, IsWrite: false, Pid: 33));
        clock.AdvanceUs(1);
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([1u, 0u, 1u], NrAccesses(a));
        Assert.Equal([0u, 1u, 1u], NrAccesses(b));
        Assert.Equal(3ul, ctx.AccessReports.Stats.NrFolded);
    }

    [Fact]
    public void sample_filters_drop_reports_before_folding()
    {
        var (ctx, clock) = NewCtx(OperationsId.Paddr);
        var t = ctx.Targets[0];
        // Writes only, from CPUs 2-3 (damo's --exp_ops_write_only y --exp_ops_cpus 2-3).
        var filters = new List<DamonSampleFilter>
        {
            new(DamonSampleFilterType.Write, Matching: false, Allow: false),
            new(DamonSampleFilterType.Cpumask, Matching: true, Allow: true) { Cpumask = DamonCpumask.Of(2, 3) },
        };
        DamonCore.SetAttrs(ctx, ctx.Attrs with { SampleControl = ctx.Attrs.SampleControl with { SampleFilters = filters } });
        DamonReports.ReportAccess(ctx, Paddr(10, write: true) with { Cpu = 2 });    // kept
        DamonReports.ReportAccess(ctx, Paddr(5000, write: false) with { Cpu = 2 }); // a read: dropped
        DamonReports.ReportAccess(ctx, Paddr(9000, write: true) with { Cpu = 1 });  // CPU 1: dropped (opposite of the last allow)
        DamonReports.ReportAccess(ctx, Paddr(9001, write: true) with { Cpu = 3 });  // kept
        clock.AdvanceUs(1);
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([1u, 0u, 1u], NrAccesses(t));
        Assert.Equal(2ul, ctx.AccessReports.Stats.NrFiltered);
    }

    [Fact]
    public void a_full_buffer_drops_new_reports_and_counts_them()
    {
        var (ctx, clock) = NewCtx(OperationsId.Paddr);
        ctx.AccessReports = new DamonAccessReportBuffer(capacity: 3);
        bool[] taken = [.. new ulong[] { 0, 5000, 9000, 100, 200 }.Select(a => DamonReports.ReportAccess(ctx, Paddr(a)))];
        Assert.Equal([true, true, true, false, false], taken);
        Assert.Equal(3, ctx.AccessReports.Count);
        clock.AdvanceUs(1);
        DamonReports.KdamondCheckReportedAccesses(ctx);
        Assert.Equal([1u, 1u, 1u], NrAccesses(ctx.Targets[0]));
        // Folding emptied it: room again.
        Assert.True(DamonReports.ReportAccess(ctx, Paddr(1)));
        Assert.Equal(new DamonAccessReportStats(4, 2, 0, 0, 0, 3), ctx.AccessReports.Stats);
    }

    [Fact]
    public void a_reporter_racing_the_fold_never_waits_and_every_report_is_accounted()
    {
        var (ctx, _) = NewCtx(OperationsId.Paddr);
        const int nrReports = 200_000;
        int accepted = 0;
        var reporter = new Thread(() =>
        {
            for (int i = 0; i < nrReports; i++)
                if (DamonReports.ReportAccess(ctx, Paddr((ulong)(i % 16384))))
                    accepted++;
        });
        reporter.Start();
        ulong folded = 0;
        while (reporter.IsAlive)
            folded += (ulong)ctx.AccessReports.Drain().Length;
        reporter.Join();
        folded += (ulong)ctx.AccessReports.Drain().Length;
        var s = ctx.AccessReports.Stats;
        Assert.Equal((ulong)accepted, s.NrReported);
        Assert.Equal((ulong)nrReports, s.NrReported + s.NrDroppedFull + s.NrDroppedBusy);
        Assert.Equal(s.NrReported, folded);
    }
}
