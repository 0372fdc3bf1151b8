using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>
/// THP accounting (AnonHugePages, bloat = never-touched subpages) and the actions on huge pages:
/// collapse, split in place, and moving the used subpages out.
/// </summary>
public class ThpActionsTests
{
    private const ulong Page = 4096;

    /// <summary>A 4 MiB THP mapping (two huge pages) with <paramref name="firstTouched"/> pages of the first and one of the second touched.</summary>
    private static (SimMachine M, int Pid, int Tid, ulong A) SparseThp(int firstTouched = 10, bool caches = false)
    {
        var m = WithProcess(TwoTier(caches: caches), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * MiB, MapFlags.Thp);
        Touch(m, tid, a, (ulong)firstTouched * Page);
        Touch(m, tid, a + 2 * MiB + 100 * Page, Page);
        return (m, pid, tid, a);
    }

    private static uint Frame(SimMachine m, int pid, ulong addr) =>
        m.TryTranslate(pid, addr, out uint f) ? f : throw new InvalidOperationException($"0x{addr:x} not present");

    [Fact]
    public void Sparse_use_of_huge_pages_is_counted_as_bloat()
    {
        var (m, _, tid, a) = SparseThp();
        Assert.Equal(4 * MiB, m.ThpBytes);
        Assert.Equal((1024UL - 11) * Page, m.ThpBloatBytes);
        // Touching a page again, or a touched one's neighbour, changes bloat only for new subpages.
        Touch(m, tid, a, 11 * Page);
        Assert.Equal((1024UL - 12) * Page, m.ThpBloatBytes);
    }

    [Fact]
    public void Split_frees_the_untouched_subpages_and_keeps_the_touched_in_place()
    {
        var (m, pid, _, a) = SparseThp();
        uint head = Frame(m, pid, a);
        ulong used = m.NodeUsedBytes(0);
        Assert.Equal(502u, m.SplitUnderusedThp(head + 3, out ulong cost));
        Assert.Equal(used - 502 * Page, m.NodeUsedBytes(0));
        Assert.Equal(2 * MiB, m.ThpBytes);
        Assert.Equal(511 * Page, m.ThpBloatBytes);
        Assert.Equal(1UL, m.NrThpSplits);
        Assert.Equal(m.Spec.Migration.FixedNsPerFolio + m.Spec.Migration.TlbShootdownNs, cost);
        for (uint i = 0; i < 10; i++)
        {
            Assert.Equal(head + i, Frame(m, pid, a + i * Page));
            Assert.Equal(1u, m.Frames.FolioNrPages(head + i));
        }
        Assert.False(m.TryTranslate(pid, a + 10 * Page, out _));
        // The block keeps ten used frames: it is no free 2 MiB block.
        Assert.True(m.Node(0).TryAllocHuge(out uint next));
        Assert.NotEqual(head, next);
    }

    [Fact]
    public void Moving_the_used_subpages_out_frees_the_whole_block()
    {
        var (m, pid, tid, a) = SparseThp();
        uint head = Frame(m, pid, a);
        ulong used = m.NodeUsedBytes(0);
        Assert.Equal(502u, m.MoveUsedSubpagesOut(head, out ulong cost));
        Assert.Equal(used - 502 * Page, m.NodeUsedBytes(0));
        Assert.Equal(2 * MiB, m.ThpBytes);
        Assert.Equal(511 * Page, m.ThpBloatBytes);
        Assert.Equal(m.Spec.Migration.FolioCostNs(10 * Page, thp: false), cost);
        for (uint i = 0; i < 10; i++)
        {
            uint f = Frame(m, pid, a + i * Page);
            Assert.True(f < head || f >= head + 512, $"page {i} still in the old block");
            Assert.Equal(1u, m.Frames.FolioNrPages(f));
            Assert.Equal(0, m.NodeOfFrame(f));
        }
        Assert.False(m.TryTranslate(pid, a + 10 * Page, out _));
        // The freed block is the next huge allocation.
        Assert.True(m.Node(0).TryAllocHuge(out uint next));
        Assert.Equal(head, next);
        // The moved pages keep working: touching them faults nothing.
        ulong faults = m.Thread(tid).NrFaults;
        Touch(m, tid, a, 10 * Page);
        Assert.Equal(faults, m.Thread(tid).NrFaults);
    }

    [Fact]
    public void Collapse_makes_one_huge_page_whose_zero_filled_rest_is_bloat()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB);
        Touch(m, tid, a, 100 * Page, write: true);
        Assert.Equal(0UL, m.ThpBytes);
        ulong used = m.NodeUsedBytes(0);
        Assert.True(m.CollapseBlock(pid, a, out ulong cost));
        Assert.Equal(m.Spec.Migration.FolioCostNs(2 * MiB, thp: true), cost);
        Assert.Equal(2 * MiB, m.ThpBytes);
        Assert.Equal(412 * Page, m.ThpBloatBytes);
        Assert.Equal(used + 412 * Page, m.NodeUsedBytes(0));
        Assert.Equal(1UL, m.NrThpCollapses);
        Assert.Equal(512u, m.Frames.FolioNrPages(Frame(m, pid, a + 200 * Page)));
    }

    [Theory]
    [InlineData(100u, 412u, true)]
    [InlineData(100u, 411u, false)]
    [InlineData(101u, 411u, true)]
    [InlineData(1u, null, true)]
    public void Collapse_with_max_ptes_none_refuses_a_block_with_more_none_ptes(uint nrPresent, uint? maxPtesNone, bool collapsed)
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB);
        Touch(m, tid, a, nrPresent * Page, write: true);
        // 512 - nrPresent PTEs are none: khugepaged collapses only with at most max_ptes_none of them.
        Assert.Equal(collapsed, m.CollapseBlock(pid, a, out ulong cost, maxPtesNone));
        Assert.Equal(collapsed ? 1UL : 0UL, m.NrThpCollapses);
        Assert.Equal(collapsed ? 2 * MiB : 0UL, m.ThpBytes);
        Assert.Equal(collapsed ? m.Spec.Migration.FolioCostNs(2 * MiB, thp: true) : 0UL, cost);
    }

    [Fact]
    public void Collapse_needs_a_free_2MiB_block_on_the_node()
    {
        // 64 MiB fast node: fill it with base pages of another mapping up to 1 MiB, so no whole block is left.
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB);
        Touch(m, tid, a, 100 * Page);
        ulong fill = m.Mmap(pid, 64 * MiB);
        Touch(m, tid, fill, 63 * MiB - 100 * Page);
        Assert.Equal(MiB, m.NodeFreeBytes(0));
        Assert.False(m.CollapseBlock(pid, a, out _));
        Assert.Equal(0UL, m.ThpBytes);
    }

    [Fact]
    public void After_collapse_one_TLB_walk_covers_the_whole_block()
    {
        var m = WithProcess(TwoTier(caches: true), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB);
        Touch(m, tid, a, 2 * MiB);
        Assert.True(m.CollapseBlock(pid, a, out _));
        ulong misses = m.Thread(tid).NrTlbMisses;
        Touch(m, tid, a, 2 * MiB);
        Assert.Equal(misses + 1, m.Thread(tid).NrTlbMisses);
        // Split: the PMD entry goes and each base page needs its own walk again.
        m.SplitUnderusedThp(Frame(m, pid, a), out _);
        misses = m.Thread(tid).NrTlbMisses;
        Touch(m, tid, a, 2 * MiB);
        Assert.Equal(misses + 512, m.Thread(tid).NrTlbMisses);
    }

    [Fact]
    public void Migrating_a_huge_page_keeps_its_accounting()
    {
        var (m, pid, _, a) = SparseThp();
        Assert.Equal(512u, m.MigrateFolio(Frame(m, pid, a), 1, out _));
        Assert.Equal(1, m.NodeOfAddr(pid, a));
        Assert.Equal(4 * MiB, m.ThpBytes);
        Assert.Equal((1024UL - 11) * Page, m.ThpBloatBytes);
    }

    [Fact]
    public void Hugepage_mem_bp_reading_is_thp_bytes_and_system_memory()
    {
        var (m, _, _, _) = SparseThp();
        Assert.True(m.TryGetHugepageMem(out ulong thp, out ulong total, out ulong free));
        Assert.Equal(4 * MiB, thp);
        Assert.Equal(320 * MiB, total);
        Assert.Equal(316 * MiB, free);
    }

    [Theory]
    [InlineData(ThpShrink.None, 4UL << 20, 1013UL)]
    [InlineData(ThpShrink.Split, 0UL, 0UL)]
    [InlineData(ThpShrink.MoveOut, 0UL, 0UL)]
    public void Nohugepage_shrinks_mapped_huge_pages_only_when_asked(ThpShrink shrink, ulong thpBytes, ulong bloatPages)
    {
        var (m, pid, _, a) = SparseThp();
        var ops = new SimVaddrOperations(m) { NohugepageShrink = shrink };
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + 4 * MiB);
        Assert.Equal(4 * MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Nohugepage), out _));
        Assert.Equal(thpBytes, m.ThpBytes);
        Assert.Equal(bloatPages * Page, m.ThpBloatBytes);
        Assert.Equal(shrink == ThpShrink.None ? 1024 * Page : 11 * Page, m.NodeUsedBytes(0));
    }
}
