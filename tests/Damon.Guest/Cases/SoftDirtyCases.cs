using Damon.Core.Sampling;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;

namespace Damon.Guest.Cases;

/// <summary>
/// Soft-dirty write reports (src/Damon.Linux/Reports/SoftDirtySource.cs) on the guest's kernels, which
/// have CONFIG_MEM_SOFT_DIRTY (the host's does not, so its unit test is skipped there). Only this
/// process's own pages and clear_refs are touched; decided by page sets, not by time.
/// </summary>
public static class SoftDirtyCases
{
    private const ulong Page = 4096;

    public static IEnumerable<GuestCase> All() =>
    [
        new("reports/soft_dirty_reports_the_written_pages", WrittenPages),
    ];

    private sealed class Collector : IAccessReportSink
    {
        public readonly List<DamonAccessReport> Reports = [];
        public void Report(in DamonAccessReport report) { lock (Reports) Reports.Add(report); }
    }

    private static unsafe CaseResult WrittenPages(GuestContext ctx)
    {
        var sd = SoftDirtySource.Detect();
        if (!sd.Available) return CaseResult.Fail($"the guest kernel should track soft-dirty bits: {sd}");
        using var map = new AnonymousMapping(64 * Page);
        map.Touch();
        using var source = new SoftDirtySource(Environment.ProcessId);
        source.Add(map.Address, map.End);
        var first = new Collector();
        if (source.Scan(first) != 0)
            return CaseResult.Fail($"{first.Reports.Count} pages soft-dirty right after clear_refs 4, expected 0");

        int[] written = [3, 17, 18, 63];
        // Starting a thread maps its stack, and a VMA made or merged after clear_refs is soft-dirty as a
        // whole (VM_SOFTDIRTY); so the threads start first, then the bits are cleared, then they write.
        using var go = new ManualResetEventSlim();
        var threads = written.Select(p => new Thread(() => { go.Wait(); map.Touch((ulong)p * Page, Page); })).ToList();
        threads.ForEach(t => t.Start());
        source.Clear();
        go.Set();
        threads.ForEach(t => t.Join());
        int sum = 0;
        foreach (int p in new[] { 0, 5, 40 }) sum += *(byte*)(map.Address + (ulong)p * Page);
        GC.KeepAlive(sum);

        var sink = new Collector();
        source.Scan(sink);
        var got = sink.Reports.Select(r => (long)((r.Vaddr - map.Address) / Page)).ToList();
        if (!got.SequenceEqual(written.Select(p => (long)p)))
            return CaseResult.Fail($"soft-dirty pages [{string.Join(",", got)}], expected [{string.Join(",", written)}] (reads of 0,5,40 must not count)");
        if (sink.Reports.Any(r => !r.IsWrite || r.Cpu != -1 || r.Tid != -1))
            return CaseResult.Fail("a soft-dirty report should be a write with cpu and tid unknown (-1)");
        var again = new Collector();
        if (source.Scan(again) != 0)
            return CaseResult.Fail($"{again.Reports.Count} pages still soft-dirty after the scan cleared them");
        return CaseResult.Pass();
    }
}
