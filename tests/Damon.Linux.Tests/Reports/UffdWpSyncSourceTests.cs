using Xunit;
using Damon.Core.Sampling;
using Damon.Linux.Reports;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Tests.Reports;

/// <summary>
/// The synchronous userfaultfd source on this test process: threads pinned to known CPUs write known
/// pages (through libc, see <see cref="LinuxThreads.NativeStore"/>); the reports must name exactly those
/// pages, tids and CPUs. A write blocks until its report is made, so no waiting is needed.
/// </summary>
public sealed class UffdWpSyncSourceTests
{
    private const ulong Page = 4096;

    private static void SkipUnlessAvailable()
    {
        var caps = UffdCapabilities.Probe();
        Skip.IfNot(caps.Sync.Available, caps.Sync.ToString());
    }

    private static (int Tid, int Cpu) WriteFrom(int cpu, AnonymousMapping map, int[] writePages, int[] readPages)
    {
        int tid = 0;
        var t = new Thread(() =>
        {
            LinuxThreads.PinCurrentThread(cpu);
            tid = LinuxThreads.CurrentTid();
            foreach (int p in writePages) LinuxThreads.NativeStore(map.Address + (ulong)p * Page, 7);
            unsafe
            {
                int sum = 0;
                foreach (int p in readPages) sum += *(byte*)(map.Address + (ulong)p * Page);
                GC.KeepAlive(sum);
            }
        });
        t.Start();
        t.Join();
        return (tid, cpu);
    }

    [SkippableFact]
    public void Two_pinned_writers_are_reported_with_their_pages_tids_and_cpus_and_reads_are_not()
    {
        SkipUnlessAvailable();
        using var map = new AnonymousMapping(16 * Page);
        map.Touch();
        var sink = new ReportCollector();
        using var source = UffdWpSyncSource.ForThisProcess(sink);
        source.Add(map.Address, map.End);

        int cpuB = Environment.ProcessorCount > 1 ? 1 : 0;
        var a = WriteFrom(0, map, writePages: [1, 3, 5], readPages: [0, 9]);
        var b = WriteFrom(cpuB, map, writePages: [2, 8], readPages: [4, 6, 10]);

        var expected = new HashSet<(ulong, int, int, bool)>
        {
            (map.Address + 1 * Page, a.Tid, a.Cpu, true), (map.Address + 3 * Page, a.Tid, a.Cpu, true),
            (map.Address + 5 * Page, a.Tid, a.Cpu, true),
            (map.Address + 2 * Page, b.Tid, b.Cpu, true), (map.Address + 8 * Page, b.Tid, b.Cpu, true),
        };
        var got = sink.All;
        Assert.Equal(5, got.Count);
        Assert.Equal(expected, got.Select(r => (r.Vaddr, r.Tid, r.Cpu, r.IsWrite)).ToHashSet());
        Assert.All(got, r => Assert.Equal((Page, Environment.ProcessId, 0UL), (r.Size, r.Pid, r.Paddr)));
        Assert.Null(source.Failure);
        Assert.Equal(5, source.NrReports);
    }

    [SkippableFact]
    public void A_page_reports_its_first_write_until_it_is_protected_again()
    {
        SkipUnlessAvailable();
        using var map = new AnonymousMapping(4 * Page);
        map.Touch();
        var sink = new ReportCollector();
        using var source = UffdWpSyncSource.ForThisProcess(sink);
        source.Add(map.Address, map.End);

        var w = WriteFrom(0, map, writePages: [2, 2, 2], readPages: []);
        Assert.Equal([(map.Address + 2 * Page, w.Tid)], sink.All.Select(r => (r.Vaddr, r.Tid)));

        source.ProtectAll();
        var w2 = WriteFrom(0, map, writePages: [2, 3], readPages: [1]);
        Assert.Equal([(map.Address + 2 * Page, w.Tid), (map.Address + 2 * Page, w2.Tid), (map.Address + 3 * Page, w2.Tid)],
            sink.All.Select(r => (r.Vaddr, r.Tid)));
    }

    [SkippableFact]
    public void Unpopulated_pages_are_protected_too()
    {
        SkipUnlessAvailable();
        using var map = new AnonymousMapping(8 * Page);
        var sink = new ReportCollector();
        using var source = UffdWpSyncSource.ForThisProcess(sink);
        Assert.NotEqual(0UL, source.Features & UffdApi.UFFD_FEATURE_WP_UNPOPULATED);
        source.Add(map.Address, map.End);

        var w = WriteFrom(0, map, writePages: [6], readPages: []);
        Assert.Equal([(map.Address + 6 * Page, w.Tid, true)], sink.All.Select(r => (r.Vaddr, r.Tid, r.IsWrite)));
    }

    [SkippableFact]
    public void A_cooperating_process_hands_over_its_userfaultfd()
    {
        SkipUnlessAvailable();
        // The "cooperating process" is this one: it creates the fd and Damon takes it with pidfd_getfd,
        // the path a separate process would take.
        using var map = new AnonymousMapping(4 * Page);
        map.Touch();
        using var own = Userfaultfd.Open(UffdCapabilities.Probe().UserModeOnly);
        var sink = new ReportCollector();
        using var source = UffdWpSyncSource.ForCooperatingProcess(Environment.ProcessId, own.Fd, sink);
        Assert.Equal(Environment.ProcessId, source.Pid);
        source.Add(map.Address, map.End);

        var w = WriteFrom(0, map, writePages: [1], readPages: [0]);
        Assert.Equal([(map.Address + Page, w.Tid, 0)], sink.All.Select(r => (r.Vaddr, r.Tid, r.Cpu)));
    }

    [Theory]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 12 0 500 1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0", 3)]
    [InlineData("77 (a) b) (c) R 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 1 1 1 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0", 1)]
    [InlineData("5 (short) S 1 2", -1)]
    public void The_stat_processor_field_is_field_39(string stat, int cpu) => Assert.Equal(cpu, LinuxThreads.ParseProcessor(stat));
}
