using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;
using Xunit;

namespace Damon.Linux.Tests.Reports;

/// <summary>The pump's rounds, and a live source's writes folded into a vaddr context's regions.</summary>
public sealed class AccessSourcePumpTests
{
    private const ulong Page = 4096;

    private sealed class CountingSource(int reportsPerRound) : ILinuxAccessSource
    {
        public int Pid => 42;
        public int NrRearms;
        public void Add(ulong start, ulong end) { }
        public int Rearm(IAccessReportSink sink)
        {
            NrRearms++;
            for (int i = 0; i < reportsPerRound; i++) sink.Report(new DamonAccessReport(0, (ulong)i * Page, Page, -1, -1, true, Pid));
            return reportsPerRound;
        }
        public void Dispose() { }
    }

    /// <summary>An operations set that only says "vaddr", so the context folds on virtual addresses.</summary>
    private sealed class VaddrFold : DamonOperations
    {
        public override OperationsId Id => OperationsId.Vaddr;
        public override OpsCallbacks Callbacks => OpsCallbacks.None;
    }

    [Fact]
    public void Each_round_rearms_every_source_once_and_waits_one_sample_interval()
    {
        var a = new CountingSource(2);
        var b = new CountingSource(3);
        var sink = new ReportCollector();
        using var cts = new CancellationTokenSource();
        var waits = new List<ulong>();
        var pump = new AccessSourcePump([a, b], sink, (us, _) => { waits.Add(us); if (waits.Count == 4) cts.Cancel(); });
        pump.Run(5_000, cts.Token);
        Assert.Equal((4, 4, 4L, 20L, 20), (a.NrRearms, b.NrRearms, pump.NrRounds, pump.NrReports, sink.All.Count));
        Assert.Equal([5_000UL, 5_000UL, 5_000UL, 5_000UL], waits);
    }

    [SkippableFact]
    public void Written_pages_of_this_process_count_as_accesses_of_their_regions()
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Async.Available, caps.Async.ToString());
        using var map = new AnonymousMapping(16 * Page);
        map.Touch();
        var clock = new ManualClock { NowNs = 1_000_000 };
        var ctx = new DamonContext(seed: 1) { Ops = new VaddrFold(), Clock = clock };
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = 5_000,
            AggrIntervalUs = 100_000,
            SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true) },
        });
        var t = new Target(Environment.ProcessId);
        DamonCore.SetRegions(t, [new AddrRange(map.Address, map.Address + 4 * Page), new AddrRange(map.Address + 4 * Page, map.Address + 8 * Page),
            new AddrRange(map.Address + 8 * Page, map.End)], Page);
        ctx.AddTarget(t);

        using var source = (UffdWpAsyncSource)LinuxAccessSources.Open(LinuxAccessSourceKind.UffdWpAsync, Environment.ProcessId, new ReportCollector());
        source.Add(map.Address, map.End);
        var pump = new AccessSourcePump([source], new ContextReportSink(ctx));
        map.Touch(1 * Page, Page);
        map.Touch(9 * Page, Page);
        map.Touch(10 * Page, Page);
        Assert.Equal(3, pump.Round());
        clock.AdvanceUs(5_000);
        Assert.Equal(1u, DamonReports.KdamondCheckReportedAccesses(ctx));
        Assert.Equal([1u, 0u, 1u], t.Regions.Select(r => r.NrAccesses));
    }

    [Fact]
    public void The_userfaultfd_sources_refuse_another_process_and_sync_refuses_all_of_damon_s_own_memory()
    {
        var e = Assert.Throws<AccessSourceUnavailableException>(() => LinuxAccessSources.Open(LinuxAccessSourceKind.UffdWpAsync, 1, new ReportCollector()));
        Assert.Equal("uffd_wp_async: pid 1 is not this process; a userfaultfd watches the process that created it (UffdWp*Source.ForCooperatingProcess takes one from a cooperating process)", e.Message);
        Assert.True(LinuxAccessSources.TryParse("soft_dirty", out var k) && k == LinuxAccessSourceKind.SoftDirty);
        Assert.False(LinuxAccessSources.TryParse("uffd", out _));
    }

    [SkippableFact]
    public void The_sync_source_refuses_every_writable_vma_of_this_process()
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Sync.Available, caps.Sync.ToString());
        using var source = LinuxAccessSources.Open(LinuxAccessSourceKind.UffdWpSync, Environment.ProcessId, new ReportCollector());
        var e = Assert.Throws<AccessSourceUnavailableException>(() => LinuxAccessSources.AddWritableAnonVmas(source));
        Assert.StartsWith("uffd_wp_sync: every writable VMA of Damon's own process", e.Message);
    }

    [SkippableFact]
    public void The_async_source_watches_every_writable_anonymous_vma_of_this_process()
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Async.Available, caps.Async.ToString());
        using var map = new AnonymousMapping(8 * Page);
        map.Touch();
        using var source = LinuxAccessSources.Open(LinuxAccessSourceKind.UffdWpAsync, Environment.ProcessId, new ReportCollector());
        var (added, _) = LinuxAccessSources.AddWritableAnonVmas(source);
        Assert.True(added > 0);
        source.Rearm(new ReportCollector());
        map.Touch(3 * Page, Page);
        var sink = new ReportCollector();
        source.Rearm(sink);
        // The runtime writes its own heap meanwhile; our page must be among the reports.
        Assert.Contains(sink.All, r => r.Vaddr == map.Address + 3 * Page);
        Assert.DoesNotContain(sink.All, r => r.Vaddr == map.Address + 4 * Page);
    }
}
