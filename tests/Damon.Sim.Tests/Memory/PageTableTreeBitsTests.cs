using Damon.Sim.Memory;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Memory;

public class PageTableTreeBitsTests
{
    private const ulong Gib = 1UL << 30;

    [Fact]
    public void AWalkSetsExactlyItsPmdAndPudBits()
    {
        var bits = new PageTableTreeBits();
        ulong addr = Gib + 2 * MiB + 4096;   // PUD 1, PMD 513
        bits.MarkWalk(addr >> PageSizes.PageShift);
        Assert.True(bits.PudYoung(Gib));
        Assert.False(bits.PudYoung(0));
        Assert.False(bits.PudYoung(2 * Gib));
        Assert.True(bits.PmdYoung(Gib + 2 * MiB));
        Assert.True(bits.PmdYoung(Gib + 4 * MiB - 1));
        Assert.False(bits.PmdYoung(Gib));
        Assert.False(bits.PmdYoung(Gib + 4 * MiB));
        Assert.Equal(1, bits.NrYoungPmds(0, 2 * Gib));
        Assert.True(bits.TestAndClearPmd(Gib + 3 * MiB));
        Assert.False(bits.TestAndClearPmd(Gib + 3 * MiB));
        Assert.True(bits.PudYoung(Gib));     // the PUD's bit is its own
        Assert.True(bits.TestAndClearPud(Gib));
        Assert.False(bits.PudYoung(Gib));
        // Beyond the 47-bit user space nothing is young and nothing throws.
        Assert.False(bits.PmdYoung(1UL << 47));
        Assert.False(bits.TestAndClearPud(1UL << 47));
    }

    [Fact]
    public void TheAccessLoopSetsTreeBitsOnlyWhenThePageTableKeepsThem()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 8 * MiB);
        Assert.Equal(0UL, a % (2 * MiB));
        Touch(m, tid, a, 8 * MiB);
        var pt = m.Process(pid).PageTable;
        Assert.Null(pt.TreeBits);

        var bits = pt.EnableTreeBits();
        Assert.Same(bits, pt.EnableTreeBits());
        Assert.Equal(0, bits.NrYoungPmds(a, a + 8 * MiB));
        Touch(m, tid, a + 4096, 4096);
        Touch(m, tid, a + 4 * MiB + 2 * MiB - 4096, 4096);
        Assert.Equal(2, bits.NrYoungPmds(a, a + 8 * MiB));
        Assert.True(bits.PmdYoung(a));
        Assert.False(bits.PmdYoung(a + 2 * MiB));
        Assert.True(bits.PmdYoung(a + 4 * MiB));
        Assert.False(bits.PmdYoung(a + 6 * MiB));
        Assert.True(bits.PudYoung(a));
    }

    [Fact]
    public void WithTheTlbModelOnlyAPageWalkSetsThem()
    {
        var m = WithProcess(TwoTier(caches: true), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * MiB);
        Touch(m, tid, a, 4096);   // fault in, translation now cached
        var bits = m.Process(pid).PageTable.EnableTreeBits();
        Touch(m, tid, a, 4096);   // a TLB hit: no walk, no bits
        Assert.False(bits.PmdYoung(a));
        Touch(m, tid, a + 4096, 4096);   // a new page in the same PMD: a walk
        Assert.True(bits.PmdYoung(a));
        Assert.True(bits.PudYoung(a));
        Assert.False(bits.PmdYoung(a + 2 * MiB));
    }
}
