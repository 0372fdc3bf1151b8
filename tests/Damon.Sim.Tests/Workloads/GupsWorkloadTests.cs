using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Gups;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

public class GupsWorkloadTests
{
    private static (GupsWorkload W, FakeHost Host, FakeHost.RunResult Run) RunGups(GupsOptions o, long accesses, ulong seed = 7, ulong nsPerAccess = 100)
    {
        var host = new FakeHost(seed);
        var w = new GupsWorkload(o);
        w.Setup(host);
        return (w, host, host.Run(w, accesses, nsPerAccess: nsPerAccess));
    }

    private static double HotShare(GupsWorkload w, IEnumerable<MemAccess> accesses, int thread = 0)
    {
        var (s, e) = w.HotRange(thread);
        var list = accesses.ToList();
        return list.Count(a => a.Addr >= s && a.Addr < e) / (double)list.Count;
    }

    [Fact]
    public void BurstPatternSendsAbout90PercentOfUpdatesToTheHotSet()
    {
        // gups.c: 8..11 hot updates (mean 9.5) then one uniform one; a uniform update also lands
        // in the hot set with probability hot/size = 1/16. Expected share: (9.5 + 1/16) / 10.5.
        var o = new GupsOptions { SizeBytes = 64UL << 20, HotBytes = 4UL << 20, Populate = false, DurationNs = 0, UpdatesPerThread = 200_000 };
        var (w, _, run) = RunGups(o, 1_000_000);
        var all = run.ByTid[0];
        Assert.Equal(400_000, all.Count);
        Assert.InRange(HotShare(w, all), (9.5 + 1 / 16.0) / 10.5 - 0.005, (9.5 + 1 / 16.0) / 10.5 + 0.005);
    }

    [Fact]
    public void ProbPatternFollowsHotProb()
    {
        var o = new GupsOptions { SizeBytes = 64UL << 20, HotBytes = 8UL << 20, Pattern = GupsPattern.Prob, HotProb = 0.7, Populate = false };
        var (w, _, run) = RunGups(o, 400_000);
        Assert.InRange(HotShare(w, run.ByTid[0]), 0.7 + 0.3 / 8 - 0.005, 0.7 + 0.3 / 8 + 0.005);
    }

    [Fact]
    public void EachUpdateIsAReadThenAWriteOfOneAlignedElement()
    {
        var o = new GupsOptions { SizeBytes = 1UL << 20, HotBytes = 64UL << 10, Populate = false };
        var (w, _, run) = RunGups(o, 10_000);
        var all = run.ByTid[0];
        for (int i = 0; i < all.Count; i += 2)
        {
            Assert.False(all[i].Write);
            Assert.True(all[i + 1].Write);
            Assert.Equal(all[i].Addr, all[i + 1].Addr);
            Assert.Equal(0UL, (all[i].Addr - w.FieldStart) % 8);
        }
    }

    [Fact]
    public void PopulateWritesEveryPageOnceBeforeTheUpdates()
    {
        var o = new GupsOptions { SizeBytes = 4UL << 20, HotBytes = 1UL << 20, Threads = new ThreadPlacement(2, [0, 1]) };
        var (w, host, run) = RunGups(o, 200_000);
        Assert.Equal([0, 1], host.Threads.Select(t => t.Cpu));
        foreach (var (tid, list) in run.ByTid)
        {
            var first = list.Take(512).ToList();   // 2 MiB slice = 512 pages
            Assert.All(first, a => Assert.True(a.Write));
            Assert.Equal(512, first.Select(a => a.Addr / 4096).Distinct().Count());
            ulong sliceStart = w.FieldStart + (ulong)tid * (2UL << 20);
            Assert.All(first, a => Assert.InRange(a.Addr, sliceStart, sliceStart + (2UL << 20) - 1));
        }
    }

    [Fact]
    public void HotSetMovesItsFirstQuarterPastItsEndAtTheConfiguredTime()
    {
        var o = new GupsOptions
        {
            SizeBytes = 64UL << 20, HotBytes = 8UL << 20, Populate = false, Pattern = GupsPattern.Prob, HotProb = 1.0,
            MoveAtNs = 10_000_000, DurationNs = 20_000_000,
        };
        var (w, _, run) = RunGups(o, 10_000_000, nsPerAccess: 50);
        var all = run.ByTid[0];
        Assert.True(run.Finished[0]);
        var (hs, he) = w.HotRange(0);
        var (ms, me) = w.MovedRange(0);
        Assert.Equal(2UL << 20, me - ms);
        ulong quarterEnd = hs + (2UL << 20);
        // Clock per access: 50 ns + 1 ns compute; the move is seen at the first batch at or after 10 ms.
        int moveAt = all.FindIndex(a => a.Addr >= ms && a.Addr < me);
        Assert.InRange(moveAt, 10_000_000 / 51 - 4096, 10_000_000 / 51 + 4096);
        Assert.DoesNotContain(all.Take(moveAt), a => a.Addr >= he);
        Assert.DoesNotContain(all.Skip(moveAt), a => a.Addr >= hs && a.Addr < quarterEnd);
        Assert.All(all, a => Assert.True(a.Addr >= hs && a.Addr < me));
    }

    [Fact]
    public void SameSeedSameStreamDifferentThreadsDifferentStreams()
    {
        var o = new GupsOptions { SizeBytes = 8UL << 20, HotBytes = 1UL << 20, Populate = false, Threads = new ThreadPlacement(2, [0]) };
        var a = RunGups(o, 20_000, seed: 3).Run;
        var b = RunGups(o, 20_000, seed: 3).Run;
        var c = RunGups(o, 20_000, seed: 4).Run;
        Assert.Equal(a.ByTid[0], b.ByTid[0]);
        Assert.Equal(a.ByTid[1], b.ByTid[1]);
        Assert.NotEqual(a.ByTid[0], c.ByTid[0]);
        var offsets0 = a.ByTid[0].Select(x => x.Addr % (4UL << 20));
        var offsets1 = a.ByTid[1].Select(x => x.Addr % (4UL << 20));
        Assert.NotEqual(offsets0, offsets1);
    }

    [Fact]
    public void DurationEndsEachThreadOnItsOwnClock()
    {
        var o = new GupsOptions { SizeBytes = 1UL << 20, HotBytes = 64UL << 10, Populate = false, DurationNs = 1_000_000 };
        var (_, _, run) = RunGups(o, 10_000_000, nsPerAccess: 99);
        Assert.True(run.Finished[0]);
        // 100 ns per access (99 + 1 compute): the last batch starts before 1 ms, so < 10,000 + one batch.
        Assert.InRange(run.ByTid[0].Count, 10_000, 10_000 + 4096);
    }

    [Fact]
    public void DurationCountsFromTheEndOfPopulate()
    {
        var o = new GupsOptions { SizeBytes = 4UL << 20, HotBytes = 64UL << 10, DurationNs = 1_000_000 };
        var (_, _, run) = RunGups(o, 10_000_000, nsPerAccess: 99);
        Assert.True(run.Finished[0]);
        // 1024 populate writes (untimed), then 1 ms of updates at 100 ns per access.
        Assert.InRange(run.ByTid[0].Count - 1024, 10_000, 10_000 + 4096);
    }

    [Theory]
    [InlineData(4096UL, 8192UL)]   // hot set larger than the field
    [InlineData(4096UL, 0UL)]      // hot set smaller than an element
    public void InconsistentSizesAreRejected(ulong size, ulong hot)
    {
        Assert.Throws<ArgumentException>(() => new GupsWorkload(new GupsOptions { SizeBytes = size, HotBytes = hot }));
    }

    [Fact]
    public void WideElementsTouchEveryLineReadsFirst()
    {
        var o = new GupsOptions { SizeBytes = 1UL << 20, HotBytes = 64UL << 10, EltBytes = 256, Populate = false };
        var (_, _, run) = RunGups(o, 8 * 100);
        var all = run.ByTid[0];
        for (int i = 0; i < all.Count; i += 8)
        {
            Assert.All(all.Skip(i).Take(4), a => Assert.False(a.Write));
            Assert.All(all.Skip(i + 4).Take(4), a => Assert.True(a.Write));
            Assert.Equal(all[i].Addr + 192, all[i + 3].Addr);
        }
    }
}
