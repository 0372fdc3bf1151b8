using System.Diagnostics;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;
using Xunit;
using Xunit.Abstractions;

namespace Damon.Linux.Tests.Syscalls;

/// <summary>
/// 64 MiB of our own memory queried with move_pages and read through pagemap; the rates go to the
/// test output (dotnet test --filter ThroughputTests --logger "console;verbosity=detailed").
/// The assertions are on the answers, not the speed.
/// </summary>
public class ThroughputTests(ITestOutputHelper output)
{
    private const ulong Bytes = 64UL << 20;
    private const int Rounds = 5;

    [Fact]
    public void Move_pages_query_of_64_MiB()
    {
        using var m = new AnonymousMapping(Bytes);
        m.Touch();
        var addrs = m.PageAddresses();
        var status = new int[addrs.Length];
        var mp = new MovePages();
        double best = double.MaxValue;
        for (int i = 0; i < Rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            mp.Query(Environment.ProcessId, addrs, status);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        Assert.All(status, s => Assert.Equal(0, s));
        Assert.Equal((ulong)(Rounds * addrs.Length / MovePages.DefaultBatchPages), mp.NrCalls);
        output.WriteLine($"move_pages query: {addrs.Length} pages in {best * 1e3:F2} ms (best of {Rounds}) = {addrs.Length / best / 1e6:F2} M pages/s");
    }

    [Fact]
    public void Pagemap_read_of_64_MiB()
    {
        using var m = new AnonymousMapping(Bytes);
        m.Touch();
        using var pm = new PagemapReader(PagemapReader.PathOf(Environment.ProcessId));
        var entries = new PagemapEntry[m.NrPages];
        double best = double.MaxValue;
        for (int i = 0; i < Rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            pm.Read(m.Address, entries);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        Assert.All(entries, e => Assert.True(e.Present));
        output.WriteLine($"pagemap read: {entries.Length} pages in {best * 1e3:F2} ms (best of {Rounds}) = {best * 1e6 / entries.Length:F4} us per 4 KiB page");
    }
}
