using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Rng;
using Damon.Sim.Workloads.Zipf;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

public class ZipfTests
{
    [Theory]
    [InlineData(0.99)]
    [InlineData(0.8)]
    [InlineData(0.5)]
    public void RankFrequencySlopeIsMinusTheta(double theta)
    {
        var z = new ZipfianGenerator(100_000, theta);
        var rng = new Xoshiro256(11);
        var counts = new long[1000];
        for (int i = 0; i < 3_000_000; i++)
        {
            ulong r = z.Next(ref rng);
            if (r < 1000) counts[r]++;
        }
        // Least-squares slope of log(count) against log(rank) over ranks 3..1000 (Gray's method
        // special-cases ranks 1 and 2; beyond 1000 counts get noisy).
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int k = 2; k < 1000; k++)
        {
            double x = Math.Log(k + 1), y = Math.Log(counts[k]);
            sx += x; sy += y; sxx += x * x; sxy += x * y; n++;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        Assert.InRange(slope, -theta - 0.05, -theta + 0.05);
    }

    [Fact]
    public void TailApproximationOfZetaMatchesTheExactSum()
    {
        // Above 4 M terms the tail is Euler–Maclaurin; compare with a direct sum at 6 M.
        double exact = 0;
        for (ulong i = 6_000_000; i >= 1; i--) exact += Math.Pow(i, -0.99);
        Assert.Equal(exact, ZipfianGenerator.Zeta(6_000_000, 0.99), 1e-9 * exact);
    }

    [Fact]
    public void ThetaZeroIsUniform()
    {
        var z = new ZipfianGenerator(10, 0);
        var rng = new Xoshiro256(5);
        var counts = new int[10];
        for (int i = 0; i < 100_000; i++) counts[z.Next(ref rng)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    private static (ZipfKvWorkload W, FakeHost.RunResult Run) RunKv(ZipfKvOptions o, long n, ulong seed = 1)
    {
        var host = new FakeHost(seed);
        var w = new ZipfKvWorkload(o);
        w.Setup(host);
        return (w, host.Run(w, n));
    }

    [Fact]
    public void HottestKeysGetTheirZipfianShareAndLiveWhereTheLayoutSays()
    {
        var o = new ZipfKvOptions { Keys = 10_000, ValueBytes = 100, Load = false, Index = false, Scramble = true };
        var (w, run) = RunKv(o, 2 * 200_000);
        var all = run.ByTid[0];
        Assert.Equal(128UL, w.SlotBytes);
        Assert.All(all, a => Assert.Equal(0UL, (a.Addr - w.ValuesStart) % 64));
        // Two lines per 100-byte value; count operations by their first line.
        var ops = all.Where((a, i) => i % 2 == 0).Select(a => (a.Addr - w.ValuesStart) / 128).ToList();
        double zetan = ZipfianGenerator.Zeta(10_000, 0.99);
        // The hottest rank has probability 1/zeta(n); scrambling moves it to KeyOfRank(0).
        double share0 = ops.Count(k => k == w.KeyOfRank(0)) / (double)ops.Count;
        Assert.InRange(share0, 1 / zetan - 0.005, 1 / zetan + 0.005);
        Assert.NotEqual(0UL, w.KeyOfRank(0));
    }

    [Fact]
    public void LoadWritesEveryValuePageThenOperationsReadIndexAndValue()
    {
        var o = new ZipfKvOptions { Keys = 1000, ValueBytes = 1000, ReadFraction = 0.75 };
        var (w, run) = RunKv(o, 300_000);
        var all = run.ByTid[0];
        ulong valuePages = (1000UL * 1024 + 4095) / 4096;
        var load = all.Take((int)valuePages).ToList();
        Assert.All(load, a => Assert.True(a.Write));
        Assert.Equal((int)valuePages, load.Select(a => a.Addr / 4096).Distinct().Count());
        // Then: one index read (in the index mapping) and 16 value lines per operation.
        var rest = all.Skip((int)valuePages).ToList();
        int ops = rest.Count / 17, writes = 0;
        for (int i = 0; i < ops; i++)
        {
            var idx = rest[i * 17];
            Assert.False(idx.Write);
            Assert.InRange(idx.Addr, w.IndexStart, w.IndexStart + 8000 - 1);
            bool write = rest[i * 17 + 1].Write;
            Assert.All(rest.Skip(i * 17 + 1).Take(16), a => Assert.Equal(write, a.Write));
            if (write) writes++;
        }
        Assert.InRange(writes / (double)ops, 0.23, 0.27);
    }
}
