using Xunit;
using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Tests.Reports;

/// <summary>The asynchronous userfaultfd source (WP_ASYNC + PAGEMAP_SCAN) on this test process.</summary>
public sealed class UffdWpAsyncSourceTests
{
    private const ulong Page = 4096;

    private static UffdWpAsyncSource Open(AnonymousMapping map)
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Async.Available, caps.Async.ToString());
        var source = UffdWpAsyncSource.ForThisProcess();
        source.Add(map.Address, map.End);
        return source;
    }

    private static unsafe void Write(AnonymousMapping map, params int[] pages)
    {
        foreach (int p in pages) (*(byte*)(map.Address + (ulong)p * Page))++;
    }

    private static ulong[] Scan(UffdWpAsyncSource source)
    {
        var sink = new ReportCollector();
        int n = source.Scan(sink);
        Assert.Equal(n, sink.All.Count);
        Assert.All(sink.All, r => Assert.Equal((true, -1, -1, Page, Environment.ProcessId), (r.IsWrite, r.Cpu, r.Tid, r.Size, r.Pid)));
        return [.. sink.All.Select(r => r.Vaddr)];
    }

    [SkippableFact]
    public void A_scan_reports_exactly_the_pages_written_since_the_last_scan()
    {
        using var map = new AnonymousMapping(64 * Page);
        map.Touch();
        using var source = Open(map);
        Assert.Empty(Scan(source));

        Write(map, 2, 7, 40, 41, 42);
        unsafe { GC.KeepAlive(*(byte*)(map.Address + 3 * Page)); }
        Assert.Equal([map.Address + 2 * Page, map.Address + 7 * Page, map.Address + 40 * Page, map.Address + 41 * Page, map.Address + 42 * Page], Scan(source));
        // PM_SCAN_WP_MATCHING protected them again.
        Assert.Empty(Scan(source));
        Write(map, 7);
        Assert.Equal([map.Address + 7 * Page], Scan(source));
    }

    [SkippableFact]
    public void Writes_from_several_threads_are_all_seen_without_stopping_them()
    {
        using var map = new AnonymousMapping(32 * Page);
        map.Touch();
        using var source = Open(map);
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() => Write(map, i * 8, i * 8 + 1))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        ulong[] expected = [.. Enumerable.Range(0, 4).SelectMany(i => new[] { i * 8, i * 8 + 1 }).Select(p => map.Address + (ulong)p * Page)];
        Assert.Equal(expected, Scan(source));
    }

    [SkippableFact]
    public void Unpopulated_pages_are_reported_once_written()
    {
        using var map = new AnonymousMapping(8 * Page);
        using var source = Open(map);
        Write(map, 5);
        Assert.Equal([map.Address + 5 * Page], Scan(source));
    }

    [SkippableFact]
    public void Reports_reach_every_context_buffer_stamped_with_that_context_s_clock()
    {
        using var map = new AnonymousMapping(8 * Page);
        map.Touch();
        using var source = Open(map);
        var a = new DamonContext(seed: 1) { Clock = new ManualClock { NowNs = 5_000 } };
        var b = new DamonContext(seed: 2) { Clock = new ManualClock { NowNs = 9_000 } };
        var sink = new ContextReportSink(a, b);
        Write(map, 1, 6);
        Assert.Equal(2, source.Scan(sink));
        Assert.Equal(0, sink.NrDropped);
        foreach (var (ctx, ns) in new[] { (a, 5_000UL), (b, 9_000UL) })
            Assert.Equal([(map.Address + Page, ns), (map.Address + 6 * Page, ns)],
                ctx.AccessReports.Drain().ToArray().Select(r => (r.Vaddr, r.ReportTimeNs)));
    }

    [Fact]
    public void The_capability_probe_names_what_it_found()
    {
        var caps = UffdCapabilities.Probe();
        // Either mode is available, or absent with a reason naming the feature or the syscall's errno.
        foreach (var c in new[] { caps.Sync, caps.Async })
            Assert.Matches(c.Available ? @"^uffd_wp_(a)?sync: available" : @"^uffd_wp_(a)?sync: absent, because (userfaultfd|UFFDIO_API|ioctl)", c.ToString());
    }
}
