using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Churn;
using Damon.Sim.Workloads.ColdBulk;
using Damon.Sim.Workloads.Gaussian;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

public class GaussianColdBulkChurnTests
{
    [Fact]
    public void GaussianPagesHaveTheConfiguredMeanAndSigma()
    {
        var o = new GaussianOptions { SizeBytes = 400UL << 20, Mean = 0.4, Sigma = 0.05 };
        var host = new FakeHost(9);
        var w = new GaussianWorkload(o);
        w.Setup(host);
        var all = host.Run(w, 200_000).ByTid[0];
        double nrPages = (400UL << 20) / 4096.0;
        var pages = all.Select(a => (a.Addr - w.Start) / 4096.0).ToList();
        double mean = pages.Average();
        double sd = Math.Sqrt(pages.Select(p => (p - mean) * (p - mean)).Average());
        Assert.InRange(mean / nrPages, 0.4 - 0.002, 0.4 + 0.002);
        Assert.InRange(sd / nrPages, 0.05 * 0.98, 0.05 * 1.02);
        // pmbench-like 80:20 read/write by default.
        Assert.InRange(all.Count(a => !a.Write) / (double)all.Count, 0.79, 0.81);
        // About 68 % within one sigma.
        double within = pages.Count(p => Math.Abs(p - 0.4 * nrPages) < 0.05 * nrPages) / (double)pages.Count;
        Assert.InRange(within, 0.673, 0.693);
    }

    [Fact]
    public void GaussianTruncatesAtTheFootprintEdges()
    {
        var o = new GaussianOptions { SizeBytes = 1UL << 20, Mean = 0.0, Sigma = 1.0 };
        var host = new FakeHost();
        var w = new GaussianWorkload(o);
        w.Setup(host);
        var all = host.Run(w, 20_000).ByTid[0];   // Run fails on any unmapped address
        Assert.All(all, a => Assert.InRange(a.Addr, w.Start, w.Start + (1UL << 20) - 1));
    }

    [Fact]
    public void ColdBulkWritesEachPageOnceThenExits()
    {
        var host = new FakeHost();
        var w = new ColdBulkWorkload(10UL << 20);
        w.Setup(host);
        var run = host.Run(w, 1_000_000);
        Assert.True(run.Finished[0]);
        var all = run.ByTid[0];
        Assert.Equal(2560, all.Count);
        Assert.All(all, a => Assert.True(a.Write));
        Assert.Equal(2560, all.Select(a => a.Addr / 4096).Distinct().Count());
        Assert.Equal(all.OrderBy(a => a.Addr).Select(a => a.Addr), all.Select(a => a.Addr));
        Assert.Empty(host.Unmaps);   // the memory stays allocated after the thread exits
        Assert.Equal(2560UL * 300, run.ComputeNs[0]);
    }

    [Fact]
    public void ChurnSendsHotProbOfAccessesToTheHotUnits()
    {
        var o = new ChurnOptions { SizeBytes = 256UL << 20, UnitBytes = 1UL << 20, HotFraction = 0.125, HotProb = 0.9, PeriodNs = 1_000_000_000 };
        var host = new FakeHost();
        var w = new ChurnWorkload(o);
        w.Setup(host);
        Assert.Equal(32UL, w.NrHotUnits);
        var hot = w.HotUnits.ToHashSet();
        var all = host.Run(w, 100_000, nsPerAccess: 10).ByTid[0];   // 1 ms: inside the first period
        Assert.Equal(0UL, w.Epoch);
        double share = all.Count(a => hot.Contains((uint)((a.Addr - w.Start) >> 20))) / (double)all.Count;
        Assert.InRange(share, 0.895, 0.905);
        Assert.InRange(all.Count(a => a.Write) / (double)all.Count, 0.49, 0.51);
    }

    [Fact]
    public void ChurnMovesAtMostMovePercentOfTheHotSetPerPeriod()
    {
        var o = new ChurnOptions { SizeBytes = 1UL << 30, UnitBytes = 1UL << 20, HotFraction = 0.25, MoveFraction = 0.1, PeriodNs = 1_000_000, DurationNs = 0 };
        var host = new FakeHost();
        var w = new ChurnWorkload(o);
        w.Setup(host);
        var before = w.HotUnits.ToHashSet();
        Assert.Equal(256, before.Count);
        host.Run(w, 1_000_000, untilNs: 1_500_000, batchSize: 100);   // crosses one period boundary (1 ms)
        Assert.Equal(1UL, w.Epoch);
        var after = w.HotUnits.ToHashSet();
        Assert.Equal(256, after.Count);
        int left = before.Except(after).Count();
        Assert.InRange(left, 20, 26);   // 26 swaps; a unit swapped in can rarely be swapped out again
    }

    [Fact]
    public void ChurnHotSetSequenceDependsOnlyOnTheSeed()
    {
        (ulong Epoch, List<uint> Hot) HotAfter(ulong seed, int threads)
        {
            var o = new ChurnOptions { SizeBytes = 64UL << 20, UnitBytes = 1UL << 20, PeriodNs = 100_000, Threads = new ThreadPlacement(threads, [0]) };
            var host = new FakeHost(seed);
            var w = new ChurnWorkload(o);
            w.Setup(host);
            host.Run(w, 10_000_000, untilNs: 1_050_000, batchSize: 100);
            return (w.Epoch, w.HotUnits.OrderBy(u => u).ToList());
        }
        var one = HotAfter(5, 1);
        Assert.Equal(10UL, one.Epoch);
        // Two threads advance the shared hot set in a different interleaving, to the same place.
        var two = HotAfter(5, 2);
        Assert.Equal(one.Epoch, two.Epoch);
        Assert.Equal(one.Hot, two.Hot);
        Assert.NotEqual(one.Hot, HotAfter(6, 1).Hot);
    }
}
