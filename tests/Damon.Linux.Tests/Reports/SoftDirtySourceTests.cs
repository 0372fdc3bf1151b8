using Xunit;
using Damon.Core.Sampling;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Tests.Reports;

/// <summary>
/// Soft-dirty write tracking on this test process. This host's kernel is built without
/// CONFIG_MEM_SOFT_DIRTY, so the live test is skipped here with that reason; the guest case
/// reports/soft_dirty_reports_the_written_pages (tests/Damon.Guest/Cases/SoftDirtyCases.cs) runs it on 6.12 and 7.3.
/// </summary>
public sealed class SoftDirtySourceTests
{
    private const ulong Page = 4096;

    [SkippableFact]
    public void A_scan_reports_exactly_the_written_pages_then_clears_them()
    {
        var sd = SoftDirtySource.Detect();
        Skip.IfNot(sd.Available, sd.ToString());
        using var map = new AnonymousMapping(16 * Page);
        map.Touch();
        using var source = new SoftDirtySource(Environment.ProcessId);
        source.Add(map.Address, map.End);
        var before = new ReportCollector();
        Assert.Equal(0, source.Scan(before));

        // A thread's stack mapping can merge into a VMA and make it soft-dirty as a whole (VM_SOFTDIRTY):
        // clear once the threads exist, then let them write.
        using var go = new ManualResetEventSlim();
        var writers = new[] { new Thread(() => { go.Wait(); map.Touch(1 * Page, Page); }), new Thread(() => { go.Wait(); map.Touch(4 * Page, Page); }) };
        foreach (var t in writers) t.Start();
        source.Clear();
        go.Set();
        foreach (var t in writers) t.Join();
        unsafe { GC.KeepAlive(*(byte*)(map.Address + 2 * Page)); }

        var sink = new ReportCollector();
        Assert.Equal(2, source.Scan(sink));
        Assert.Equal([(map.Address + Page, true, -1, -1), (map.Address + 4 * Page, true, -1, -1)],
            sink.All.Select(r => (r.Vaddr, r.IsWrite, r.Cpu, r.Tid)));
        Assert.Equal(0, source.Scan(new ReportCollector()));
    }

    [Fact]
    public void A_process_Damon_did_not_start_is_refused_before_anything_is_written()
    {
        var e = Assert.Throws<AccessSourceUnavailableException>(() => new SoftDirtySource(1));
        Assert.Equal("soft_dirty: pid 1 is neither this process nor a child it started; clear_refs is written only there", e.Message);
    }
}
