using Damon.Sim.Tests.Workloads;
using Damon.Sim.Traces;
using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;
using Damon.Sim.Workloads.Gups;
using Damon.Sim.Workloads.Masim;
using Xunit;

namespace Damon.Sim.Tests.Traces;

public class TraceRecorderReplayTests
{
    /// <summary>A workload that maps and unmaps memory while running, to exercise mid-run events.</summary>
    private sealed class RemappingWorkload : IWorkload
    {
        private int _pid, _batches;
        private ulong _region;
        public string Name => "remap";
        public void Setup(IWorkloadHost host)
        {
            _pid = host.CreateProcess("remap", 4);
            host.CreateThread(_pid, 2);
            _region = host.Mmap(_pid, 8192);
        }
        public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
        {
            computeNs = 7;
            if (_batches == 3) return 0;
            if (_batches++ > 0)
            {
                host.Munmap(_pid, _region, 8192);
                _region = host.Mmap(_pid, 8192, MapFlags.File);
            }
            batch[0] = new MemAccess(_region + 100, true);
            batch[1] = new MemAccess(_region + 5000, false);
            return 2;
        }
    }

    private static (FakeHost.RunResult Recorded, FakeHost RecHost, FakeHost.RunResult Replayed, FakeHost PlayHost) RecordAndReplay(
        IWorkload workload, string path, long maxAccesses)
    {
        var recHost = new FakeHost(3);
        FakeHost.RunResult recorded;
        using (var rec = new TraceRecorder(workload, path))
        {
            rec.Setup(recHost);
            recorded = recHost.Run(rec, maxAccesses);
            rec.Complete();
        }
        // Replay on a host that hands out different addresses.
        var playHost = new FakeHost(99, mmapTop: 0x6000_0000_0000UL, heapBase: 0x4000_0000UL);
        using var replay = new TraceReplayWorkload(path);
        replay.Setup(playHost);
        var replayed = playHost.Run(replay, long.MaxValue);
        return (recorded, recHost, replayed, playHost);
    }

    private static ulong Relocate(FakeHost from, FakeHost to, ulong addr)
    {
        int i = from.Mappings.FindIndex(m => addr >= m.Start && addr < m.End);
        Assert.True(i >= 0);
        return to.Mappings[i].Start + (addr - from.Mappings[i].Start);
    }

    [Fact]
    public void AGupsRunReplaysToTheSameAccessesInTheNewMappings()
    {
        using var tmp = new TempPath();
        var gups = new GupsWorkload(new GupsOptions { SizeBytes = 8UL << 20, HotBytes = 1UL << 20, Threads = new ThreadPlacement(2, [0, 1]), DurationNs = 0, UpdatesPerThread = 20_000 });
        var (recorded, recHost, replayed, playHost) = RecordAndReplay(gups, tmp.Path, long.MaxValue);
        Assert.Equal(recHost.Threads, playHost.Threads);
        Assert.Equal(recHost.Processes, playHost.Processes);
        Assert.Equal(recHost.Mappings.Select(m => (m.Size, m.Flags)), playHost.Mappings.Select(m => (m.Size, m.Flags)));
        Assert.NotEqual(recHost.Mappings[0].Start, playHost.Mappings[0].Start);
        foreach (int tid in new[] { 0, 1 })
        {
            Assert.True(recorded.Finished[tid] && replayed.Finished[tid]);
            var expected = recorded.ByTid[tid].Select(a => new MemAccess(Relocate(recHost, playHost, a.Addr), a.Write));
            Assert.Equal(expected, replayed.ByTid[tid]);
            Assert.Equal(recorded.ComputeNs[tid], replayed.ComputeNs[tid]);
        }
    }

    [Fact]
    public void MasimWithHeapRegionsAndMidRunRemapsReplay()
    {
        using var tmp = new TempPath();
        var masim = new MasimWorkload(MasimConfigParser.Load(RepoPaths.SharedData("masim", "default")), nrAccessesPerPick: 300);
        var (recorded, recHost, replayed, playHost) = RecordAndReplay(masim, tmp.Path, 30_000);
        Assert.Contains(recHost.Mappings, m => m.Heap);
        Assert.Equal(recorded.ByTid[0].Select(a => new MemAccess(Relocate(recHost, playHost, a.Addr), a.Write)), replayed.ByTid[0]);

        using var tmp2 = new TempPath();
        var (rec2, recHost2, play2, playHost2) = RecordAndReplay(new RemappingWorkload(), tmp2.Path, 100);
        Assert.Equal([("remap", 4UL)], playHost2.Processes);
        Assert.Equal([(0, 2)], playHost2.Threads);
        Assert.Equal(3, playHost2.Mappings.Count);
        Assert.Equal(2, playHost2.Unmaps.Count);
        Assert.Equal(MapFlags.File, playHost2.Mappings[2].Flags);
        Assert.Equal(playHost2.Mappings[2].Start + 100, play2.ByTid[0][4].Addr);
        Assert.Equal(rec2.ComputeNs[0], play2.ComputeNs[0]);
        Assert.Equal((playHost2.Mappings[0].Start, 8192UL), (playHost2.Unmaps[0].Addr, playHost2.Unmaps[0].Size));
    }

    [Fact]
    public void RecorderCompletesByItselfWhenEveryThreadFinishes()
    {
        using var tmp = new TempPath();
        var host = new FakeHost();
        using var rec = new TraceRecorder(WorkloadCatalog.Create("coldbulk:size=1M"), tmp.Path);
        rec.Setup(host);
        host.Run(rec, long.MaxValue);
        Assert.True(rec.IsCompleted);
        Assert.Equal(256, TraceFile.ReadAll(tmp.Path).NrAccesses);
    }
}
