using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Masim;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

public class MasimWorkloadTests
{
    [Theory]
    [MemberData(nameof(MasimConfigParserTests.ShippedConfigs), MemberType = typeof(MasimConfigParserTests))]
    public void EveryShippedConfigRunsAShortWhile(string name)
    {
        var cfg = MasimConfigParser.Load(RepoPaths.SharedData("masim", name));
        var host = new FakeHost();
        var w = new MasimWorkload(cfg, nrAccessesPerPick: 1024);
        w.Setup(host);
        var run = host.Run(w, maxAccesses: 50_000);   // Run checks every address is mapped
        var all = run.All.ToList();
        Assert.Equal(50_000, all.Count);
        // Every access falls inside one of the config's regions (not merely inside a page of it).
        for (int r = 0; r < cfg.Regions.Count; r++)
            Assert.True(w.RegionStarts[r] != 0);
        Assert.All(all, a => Assert.Contains(Enumerable.Range(0, cfg.Regions.Count),
            r => a.Addr >= w.RegionStarts[r] && a.Addr < w.RegionStarts[r] + cfg.Regions[r].SizeBytes));
    }

    [Fact]
    public void SmallRegionsComeFromTheHeapLargeOnesFromMmap()
    {
        var cfg = MasimConfigParser.Load(RepoPaths.SharedData("masim", "64.cfg"));
        var host = new FakeHost();
        new MasimWorkload(cfg).Setup(host);
        Assert.Single(host.Mappings, m => m.Heap);                          // b and c share one brk
        Assert.Single(host.Mappings, m => !m.Heap && m.Size == 2147483648UL);
    }

    [Fact]
    public void PhasesFollowSimulatedTimeAndSequentialAccessStartsOneStrideIn()
    {
        const string text = "a, 1048576\nb, 1048576\n\nfirst\n1\na, 0, 4096, 1\n\nsecond\n1\nb, 0, 64, 1, ro\n";
        var w = new MasimWorkload(MasimConfigParser.Parse(text, "t.cfg"), nrAccessesPerPick: 100);
        var host = new FakeHost();
        w.Setup(host);
        // 100 ns per access: a pick of 100 accesses takes 10 µs, so each 1 ms phase runs ≈100 picks.
        var run = host.Run(w, maxAccesses: 1_000_000, nsPerAccess: 100);
        var all = run.ByTid[0];
        Assert.True(run.Finished[0]);
        ulong a = w.RegionStarts[0], b = w.RegionStarts[1];
        int firstB = all.FindIndex(x => x.Addr >= b && x.Addr < b + 1048576);
        Assert.True(firstB > 0);
        Assert.All(all.Take(firstB), x => Assert.True(x.Addr >= a && x.Addr < a + 1048576 && x.Write));
        Assert.All(all.Skip(firstB), x => Assert.True(x.Addr >= b && x.Addr < b + 1048576 && !x.Write));
        // exec_phase() checks the clock after whole picks and leaves once more than 1 ms has passed:
        // a pick costs 100 × (100 ns + 1 ns compute) = 10.1 µs; 99 picks are 999.9 µs, 100 are 1010 µs.
        Assert.Equal(100 * 100, firstB);
        // do_seq_*(): offset += stride before the access, wrapping to 0 at the end.
        Assert.Equal(a + 4096, all[0].Addr);
        Assert.Equal(a + 8192, all[1].Addr);
        Assert.Equal(a, all[255].Addr);
        Assert.Equal(a + 4096, all[256].Addr);
        Assert.Equal(b + 64, all[firstB].Addr);
    }

    [Fact]
    public void ReadWriteModeReadsThenWritesTheSameByte()
    {
        const string text = "a, 65536\n\np\n1\na, 1, 64, 1, rw\n";
        var w = new MasimWorkload(MasimConfigParser.Parse(text, "t.cfg"), nrAccessesPerPick: 1000);
        var host = new FakeHost();
        w.Setup(host);
        var all = host.Run(w, maxAccesses: 10_000, batchSize: 333).ByTid[0];   // odd batch size splits pairs
        for (int i = 0; i + 1 < all.Count; i += 2)
        {
            Assert.False(all[i].Write);
            Assert.True(all[i + 1].Write);
            Assert.Equal(all[i].Addr, all[i + 1].Addr);
        }
    }

    [Fact]
    public void PatternsArePickedInProportionToTheirWeights()
    {
        const string text = "a, 65536\nb, 65536\n\np\n100000\na, 1, 64, 80\nb, 1, 64, 20\n";
        var w = new MasimWorkload(MasimConfigParser.Parse(text, "t.cfg"), nrAccessesPerPick: 1);
        var host = new FakeHost();
        w.Setup(host);
        var all = host.Run(w, maxAccesses: 100_000, batchSize: 1).ByTid[0];
        double inA = all.Count(x => x.Addr >= w.RegionStarts[0] && x.Addr < w.RegionStarts[0] + 65536) / (double)all.Count;
        Assert.InRange(inA, 0.79, 0.81);
    }

    [Fact]
    public void RegionsWithADataFileAreWrittenOncePerPageFirst()
    {
        const string text = "a, 40960, /dev/zero\nb, 4096\n\np\n1\nb, 0, 64, 1, ro\n";
        var w = new MasimWorkload(MasimConfigParser.Parse(text, "t.cfg"), nrAccessesPerPick: 10);
        var host = new FakeHost();
        w.Setup(host);
        var all = host.Run(w, maxAccesses: 20).ByTid[0];
        ulong a = w.RegionStarts[0];
        // Region a is on the heap (below 128 KiB) and need not be page aligned: its pages are each written once.
        var init = all.TakeWhile(x => x.Write).ToList();
        Assert.Equal(init.Select(x => x.Addr / 4096).Distinct().Count(), init.Count);
        Assert.Equal((a + 40959) / 4096 - a / 4096 + 1, (ulong)init.Count);
        Assert.Equal(a, init[0].Addr);
    }

    [Fact]
    public void ZeroWeightPhasesAreRejectedWithTheirLine()
    {
        var cfg = MasimConfigParser.Parse("a, 4096\n\nidle\n10\na, 0, 64, 0\n", "z.cfg");
        var e = Assert.Throws<WorkloadFormatException>(() => new MasimWorkload(cfg));
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void SameSeedSameStreamDifferentSeedDifferentStream()
    {
        var cfg = MasimConfigParser.Load(RepoPaths.SharedData("masim", "100mb.cfg"));
        List<MemAccess> RunWith(ulong seed)
        {
            var host = new FakeHost(seed);
            var w = new MasimWorkload(cfg);
            w.Setup(host);
            return host.Run(w, 5000).ByTid[0];
        }
        Assert.Equal(RunWith(1), RunWith(1));
        Assert.NotEqual(RunWith(1), RunWith(2));
    }
}
