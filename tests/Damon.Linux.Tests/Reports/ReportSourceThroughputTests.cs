using System.Diagnostics;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;
using Xunit;
using Xunit.Abstractions;

namespace Damon.Linux.Tests.Reports;

/// <summary>
/// What a reported write costs: the synchronous source's fault round trip (the writer stops until
/// the handler un-protects) and the asynchronous source's PAGEMAP_SCAN. The times go to the test
/// output (dotnet test --filter ReportSourceThroughputTests --logger "console;verbosity=detailed");
/// the assertions are on the report counts, not the speed.
/// </summary>
public sealed class ReportSourceThroughputTests(ITestOutputHelper output)
{
    private const ulong Page = 4096;
    private const int Rounds = 5;

    [SkippableFact]
    public void Sync_write_fault_round_trip_of_1024_pages()
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Sync.Available, caps.Sync.ToString());
        const int nrPages = 1024;
        using var map = new AnonymousMapping(nrPages * Page);
        map.Touch();
        var sink = new ReportCollector();
        using var source = UffdWpSyncSource.ForThisProcess(sink);
        source.Add(map.Address, map.End);
        double best = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            source.ProtectAll();
            var sw = Stopwatch.StartNew();
            var t = new Thread(() => { for (ulong p = 0; p < nrPages; p++) LinuxThreads.NativeStore(map.Address + p * Page, 1); });
            t.Start();
            t.Join();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        Assert.Equal(Rounds * nrPages, sink.All.Count);
        output.WriteLine($"uffd sync: {nrPages} write faults in {best * 1e3:F2} ms (best of {Rounds}) = {best / nrPages * 1e6:F2} us per reported write");
    }

    [SkippableFact]
    public void Async_scan_of_64_MiB_with_a_quarter_written()
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Async.Available, caps.Async.ToString());
        const ulong nrPages = 16384;
        using var map = new AnonymousMapping(nrPages * Page);
        map.Touch();
        using var source = UffdWpAsyncSource.ForThisProcess();
        source.Add(map.Address, map.End);
        double best = double.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            for (ulong p = 0; p < nrPages; p += 4) map.Touch(p * Page, Page);
            var sink = new ReportCollector();
            var sw = Stopwatch.StartNew();
            int n = source.Scan(sink);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            Assert.Equal((int)(nrPages / 4), n);
        }
        output.WriteLine($"uffd async: PAGEMAP_SCAN of {nrPages} pages, {nrPages / 4} written, in {best * 1e3:F2} ms (best of {Rounds}) = {best / nrPages * 1e9:F1} ns per page scanned");
    }
}
