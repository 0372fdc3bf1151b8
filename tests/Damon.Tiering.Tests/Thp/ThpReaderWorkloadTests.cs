using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
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
        private int _nextPid = 1;
        public ulong Seed => 7;
        public int CreateProcess(string name, ulong memcgId = 0) => _nextPid++;
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
        // The wait's time is known once the machine has run it: its next batch starts at 1,000,037
        // (37 ns of memory time past the CPU step), and all of that is waiting.
        Assert.Equal(0UL, w.WaitNs);
        Assert.Equal(1_000_037UL - 640, w.WaitNsAt(1_000_037));
        // In a window: reads of written pages only.
        Assert.Equal(256, w.NextBatch(host, 1, 1_000_037, batch, out c));
        Assert.Equal(1_000_037UL - 640, w.WaitNs);
        Assert.Equal(2560UL, c);
        Assert.All(batch, a => Assert.True(!a.Write && (a.Addr - data) / 4096 % 16 == 0 && a.Addr < data + (4UL << 20)));
        Assert.Equal(1, w.NextBatch(host, 1, 4_500_000, batch, out c));
        Assert.Equal(500_000UL, c);
        Assert.Equal(waitPage, batch[0].Addr);
        Assert.Equal(1_000_037UL - 640 + 500_041, w.WaitNsAt(5_000_041));
        Assert.Equal(2UL, w.NrWaitAccesses);
        // After the last window the thread is done; its call closes the open wait.
        Assert.Equal(0, w.NextBatch(host, 1, 6_000_000, batch, out _));
        Assert.Equal(1_000_037UL - 640 + 1_500_000, w.WaitNs);
        Assert.Equal(w.WaitNs, w.WaitNsAt(7_000_000));
        Assert.Equal([(4UL << 20, MapFlags.Anon), (4096UL, MapFlags.Anon)], host.Maps);
    }

    [Fact]
    public void Two_readers_of_one_scenario_draw_different_streams_and_one_reader_the_same_each_run()
    {
        const string args = "size=4MiB,cpuns=10";
        static ulong[] Reads(ThpReaderWorkload w, Host host)
        {
            var batch = new MemAccess[256];
            // 1024 pages written once (four batches), then the first batch of reads.
            for (int i = 0; i < 4; i++)
                Assert.Equal(256, w.NextBatch(host, 1, 0, batch, out _));
            Assert.Equal(256, w.NextBatch(host, 1, 0, batch, out _));
            return batch.Select(a => a.Addr).ToArray();
        }
        var host = new Host();
        ThpReaderWorkload a = ThpReaderSpec.Create("thp-reader:" + args, args), b = ThpReaderSpec.Create("thp-reader:" + args, args);
        a.Setup(host);
        b.Setup(host);
        Assert.Equal((1, 2), (a.Pid, b.Pid));
        ulong[] ra = Reads(a, host), rb = Reads(b, host);
        // b's data follows a's 4 MiB and a's wait page (the host rounds each map to 2 MiB). Lockstep
        // readers would read the same offset at every position; independent ones at ~1/1024 of them.
        ulong aData = 1UL << 30, bData = aData + (6UL << 20);
        Assert.True(ra.Zip(rb).Count(x => x.First - aData == x.Second - bData) < 8);
        var again = ThpReaderSpec.Create("thp-reader:" + args, args);
        again.Setup(new Host());
        Assert.Equal(ra, Reads(again, new Host()));
    }

    [Fact]
    public void The_wait_time_is_the_whole_thread_time_of_the_wait_batches_memory_and_faults_included()
    {
        const string args = "size=4MiB,every=16,cpuns=10,active=3ms-4ms";
        var w = ThpReaderSpec.Create("thp-reader:" + args, args);
        var m = new SimMachine(MachineSpec.DefaultTwoTier(64UL << 20, 64UL << 20), seed: 3);
        Assert.True(m.Spec.Caches);
        w.Setup(m);
        var runner = new SimRunner(m, w);
        var th = m.Threads.Single();
        ulong expectedNs = 0, memoryAndStallNs = 0;
        while (!th.Finished)
        {
            ulong before = th.ClockNs, nrWait = w.NrWaitAccesses, memBefore = th.MemoryNs + th.StallNs;
            runner.RunUntilNs(before + 1);
            if (w.NrWaitAccesses == nrWait) continue;
            expectedNs += th.ClockNs - before;
            memoryAndStallNs += th.MemoryNs + th.StallNs - memBefore;
        }
        // Three 1 ms steps (the first shorter by the 64 writes' time) to the window at 3 ms.
        Assert.Equal(3UL, w.NrWaitAccesses);
        Assert.Equal(expectedNs, w.WaitNsAt(th.ClockNs));
        // The first write faults its page in, and every write costs memory time: CPU steps alone undercount.
        Assert.True(memoryAndStallNs > 0);
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
