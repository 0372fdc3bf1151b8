using Xunit;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>The machine's PEBS model (SimMachine.Pebs.cs): LLC-missing loads per node and all stores, 1 in N.</summary>
public class PebsTests
{
    private const ulong Page = 4096, Line = 64;

    private static MemAccess[] Reads(ulong addr, ulong len, ulong stride, ulong skipInPage = 0)
    {
        var batch = new List<MemAccess>();
        for (ulong a = addr; a < addr + len; a += stride)
            if ((a & (Page - 1)) >= skipInPage)
                batch.Add(new MemAccess(a, false));
        return batch.ToArray();
    }

    [Fact]
    public void AMissStreamAtPeriodNGivesCountOverNSamples()
    {
        // 16 MiB read line by line, every line for the first time (line 0 of each page skipped:
        // the populating write left it in the LLC), so every load misses: 4096 pages x 63 lines =
        // 258,048 = 252 x 1024 loads. With period 1024 the counter overflows exactly 252 times,
        // wherever its seeded first overflow falls in the first period.
        var m = WithProcess(TwoTier(caches: true), out int pid, out int tid);
        var th = m.Thread(tid);
        ulong a = m.Mmap(pid, 16UL << 20);
        Touch(m, tid, a, 16UL << 20, write: true);
        var pebs = m.EnablePebs(1024);
        ulong hits = th.NrLlcHits;
        m.RunBatch(th, Reads(a, 16UL << 20, Line, skipInPage: Line), 0);
        Assert.Equal(hits, th.NrLlcHits);
        var samples = pebs.Drain();
        Assert.Equal(252, samples.Count);
        Assert.All(samples, s => Assert.Equal((pid, tid, 0, false), (s.Pid, s.Tid, s.Node, s.Store)));
        Assert.All(samples, s => Assert.InRange(s.Vaddr, a, a + (16UL << 20) - 1));
        Assert.Empty(pebs.Drain());
    }

    [Fact]
    public void ACacheResidentHotSetGivesNoLoadSamplesButItsStoresAreSampled()
    {
        // 64 KiB (1024 lines) read once to fill the LLC, then 20 more passes with period 1: every
        // load hits, no MEM_LOAD_L3_MISS_RETIRED event. Stores are MEM_INST_RETIRED.ALL_STORES:
        // 16 stores to the same resident lines give 16 samples.
        var m = WithProcess(TwoTier(caches: true), out int pid, out int tid);
        var th = m.Thread(tid);
        ulong a = m.Mmap(pid, 64 * 1024);
        Touch(m, tid, a, 64 * 1024, write: true);
        m.RunBatch(th, Reads(a, 64 * 1024, Line), 0);
        var pebs = m.EnablePebs(1);
        for (int pass = 0; pass < 20; pass++)
            m.RunBatch(th, Reads(a, 64 * 1024, Line), 0);
        Assert.Empty(pebs.Drain());
        Touch(m, tid, a, 64 * 1024, write: true);
        var stores = pebs.Drain();
        Assert.Equal(16, stores.Count);
        Assert.All(stores, s => Assert.True(s.Store));
    }

    [Fact]
    public void WithCachesOffEveryLoadIsAMissAndEachNodeHasItsOwnCounter()
    {
        // Flat model: 3000 loads on node 0 and 2000 on node 1, interleaved 3:2, period 1000: node
        // 0's counter overflows 3 times, node 1's twice, whatever the interleaving.
        var m = WithProcess(TwoTier(caches: false), out int pid, out int tid);
        ulong dram = m.Mmap(pid, 4 * Page);
        ulong cxl = m.Mmap(pid, 4 * Page, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [1]));
        Touch(m, tid, dram, 4 * Page, write: true);
        Touch(m, tid, cxl, 4 * Page, write: true);
        var pebs = m.EnablePebs(1000);
        var batch = new List<MemAccess>();
        for (int i = 0; i < 1000; i++)
        {
            batch.Add(new MemAccess(dram, false));
            batch.Add(new MemAccess(dram + Page, false));
            batch.Add(new MemAccess(dram + 2 * Page, false));
            batch.Add(new MemAccess(cxl, false));
            batch.Add(new MemAccess(cxl + Page, false));
        }
        m.RunBatch(m.Thread(tid), batch.ToArray(), 0);
        var s = pebs.Drain();
        Assert.Equal((3, 2), (s.Count(x => x.Node == 0), s.Count(x => x.Node == 1)));
        Assert.Equal(5UL, pebs.NrSamples);
    }

    [Fact]
    public void TheFirstOverflowIsSeededAndTheSameForTheSameSeed()
    {
        // The phase of the first period comes from the machine's seed: two machines with seed 7
        // sample the same accesses.
        ulong FirstSampled()
        {
            var m = WithProcess(TwoTier(caches: false), out int pid, out int tid);
            ulong a = m.Mmap(pid, 1024 * Page);
            Touch(m, tid, a, 1024 * Page, write: true);
            var pebs = m.EnablePebs(1024);
            m.RunBatch(m.Thread(tid), Reads(a, 1024 * Page, Page), 0);
            return (pebs.Drain().Single().Vaddr - a) / Page;
        }
        ulong first = FirstSampled();
        Assert.Equal(first, FirstSampled());
        Assert.InRange(first, 0UL, 1023UL);
    }

    [Fact]
    public void EnablingAgainWithAnotherPeriodIsRefused()
    {
        var m = WithProcess(TwoTier(), out _, out _);
        var pebs = m.EnablePebs(19_997);
        Assert.Same(pebs, m.EnablePebs(19_997));
        Assert.Throws<InvalidOperationException>(() => m.EnablePebs(10_007));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimMachine(TwoTier(), 1).EnablePebs(0));
    }
}
