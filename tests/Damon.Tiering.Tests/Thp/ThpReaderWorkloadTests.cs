using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Tiering.Scenarios;
using Damon.Tiering.Thp;
using Xunit;

namespace Damon.Tiering.Tests.Thp;

public class ThpReaderWorkloadTests
{
    /// <summary>Records mmaps; one process, one thread.</summary>
    private sealed class Host : IWorkloadHost
    {
        public List<(ulong Size, MapFlags Flags)> Maps { get; } = [];
        private ulong _next = 1UL << 30;
        public ulong Seed => 7;
        public int CreateProcess(string name, ulong memcgId = 0) => 1;
        public int CreateThread(int pid, int cpu) => 1;
        public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null)
        {
            Maps.Add((sizeBytes, flags));
            ulong a = _next;
            _next += (sizeBytes + PageSizes.ThpSize - 1) / PageSizes.ThpSize * PageSizes.ThpSize;
            return a;
        }
        public ulong Brk(int pid, ulong growBytes) => throw new NotSupportedException();
        public void Munmap(int pid, ulong addr, ulong sizeBytes) => throw new NotSupportedException();
    }

    [Fact]
    public void It_writes_its_pages_then_reads_them_in_its_windows_and_waits_between()
    {
        var w = ThpReaderSpec.Create("thp-reader:size=4MiB,every=16,cpuns=10,active=1ms-2ms;5ms-6ms", "size=4MiB,every=16,cpuns=10,active=1ms-2ms;5ms-6ms");
        var host = new Host();
        w.Setup(host);
        ulong data = 1UL << 30;
        var batch = new MemAccess[256];
        // 1024 pages, one in 16 written once in order: 64 writes.
        Assert.Equal(64, w.NextBatch(host, 1, 0, batch, out ulong c));
        Assert.Equal(640UL, c);
        Assert.All(batch.Take(64).Select((a, i) => (a, i)), x => Assert.Equal(new MemAccess(data + (ulong)x.i * 16 * 4096, true), x.a));
        // Before the first window: one write to its own page, waiting at most 1 ms of CPU.
        Assert.Equal(1, w.NextBatch(host, 1, 640, batch, out c));
        Assert.Equal(1_000_000UL - 640, c);
        ulong waitPage = batch[0].Addr;
        Assert.True(waitPage >= data + 4 * (1UL << 20));
        // In a window: reads of written pages only.
        Assert.Equal(256, w.NextBatch(host, 1, 1_500_000, batch, out c));
        Assert.Equal(2560UL, c);
        Assert.All(batch, a => Assert.True(!a.Write && (a.Addr - data) / 4096 % 16 == 0 && a.Addr < data + (4UL << 20)));
        Assert.Equal(1, w.NextBatch(host, 1, 4_500_000, batch, out c));
        Assert.Equal(500_000UL, c);
        Assert.Equal(waitPage, batch[0].Addr);
        Assert.Equal(1_000_000UL - 640 + 500_000, w.WaitNs);
        Assert.Equal(2UL, w.NrWaitAccesses);
        // After the last window the thread is done.
        Assert.Equal(0, w.NextBatch(host, 1, 6_000_000, batch, out _));
        Assert.Equal([(4UL << 20, MapFlags.Anon), (4096UL, MapFlags.Anon)], host.Maps);
    }

    [Theory]
    [InlineData(ThpMode.Always, MapFlags.Anon, MapFlags.Thp)]
    [InlineData(ThpMode.Never, MapFlags.Thp, MapFlags.Anon)]
    [InlineData(ThpMode.Madvise, MapFlags.Thp, MapFlags.Thp)]
    [InlineData(ThpMode.Madvise, MapFlags.Anon, MapFlags.Anon)]
    [InlineData(ThpMode.Always, MapFlags.File, MapFlags.File)]
    public void A_thp_mode_sets_or_clears_the_huge_page_flag_of_anonymous_mappings(ThpMode mode, MapFlags asked, MapFlags got) =>
        Assert.Equal(got, ThpModes.Apply(mode, asked));
}
