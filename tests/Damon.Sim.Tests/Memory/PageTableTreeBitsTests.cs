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
    public void ASpanReadsAndClearsItsAlignedGroupCutToTheRange()
    {
        var bits = new PageTableTreeBits();
        // PMDs 8..15 are one group of 8 (span shift 3); walk PMDs 9 and 14, and 16 (the next group).
        foreach (ulong pmd in new ulong[] { 9, 14, 16 })
            bits.MarkWalk(pmd * 2 * MiB >> PageSizes.PageShift);
        // From PMD 12's address: the group is 8..15; the range keeps 10..12 (no young one) or 10..14.
        Assert.False(bits.PmdSpanYoung(12 * 2 * MiB, 10 * 2 * MiB, 13 * 2 * MiB, 3));
        Assert.False(bits.TestAndClearPmdSpan(12 * 2 * MiB, 10 * 2 * MiB, 13 * 2 * MiB, 3));
        Assert.True(bits.PmdSpanYoung(12 * 2 * MiB, 10 * 2 * MiB, 14 * 2 * MiB + 4096, 3));
        // A range that starts inside PMD 9 overlaps it.
        Assert.True(bits.PmdSpanYoung(12 * 2 * MiB, 9 * 2 * MiB + 4096, 10 * 2 * MiB, 3));
        // Span shift 0 is the single PMD of the address.
        Assert.False(bits.PmdSpanYoung(12 * 2 * MiB, 0, 64 * 2 * MiB, 0));
        Assert.True(bits.PmdSpanYoung(14 * 2 * MiB, 0, 64 * 2 * MiB, 0));
        // Clearing the whole group clears 9 and 14, not 16 beyond it.
        Assert.True(bits.TestAndClearPmdSpan(8 * 2 * MiB, 0, 64 * 2 * MiB, 3));
        Assert.Equal(1, bits.NrYoungPmds(0, 64 * 2 * MiB));
        Assert.True(bits.PmdYoung(16 * 2 * MiB));
        Assert.False(bits.TestAndClearPmdSpan(15 * 2 * MiB, 0, 64 * 2 * MiB, 3));
        // A span of 64 is the whole word; beyond the user space there is nothing.
        Assert.True(bits.TestAndClearPmdSpan(0, 0, 1UL << 40, 6));
        Assert.Equal(0, bits.NrYoungPmds(0, 64 * 2 * MiB));
        Assert.False(bits.PmdSpanYoung(1UL << 47, 0, 1UL << 48, 6));
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
