using Damon.Core.Schemes;
using Damon.Sim.Memory;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class ActionTests
{
    private static (Machine.SimMachine M, int Pid, int Tid, ulong A) Populated(ulong len, MapFlags flags = MapFlags.Anon, bool write = false)
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, len, flags);
        Touch(m, tid, a, len, write);
        return (m, pid, tid, a);
    }

    [Fact]
    public void MigrateHotMovesEveryPageToTargetNid()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        var s = OpsTestContext.Scheme(DamosAction.MigrateHot, targetNid: 1);
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, s, out ulong passed));
        Assert.Equal(0UL, passed); // damos_va_migrate never adds to sz_filter_passed
        Assert.Equal(256UL, PagesOnNode(m, pid, a, MiB, 1));
        Assert.Equal(256UL, m.NrDemotedPages);
        // Already there: nothing more to apply.
        Assert.Equal(0UL, ops.ApplyScheme(ctx, t, r, s, out _));
    }

    [Fact]
    public void VaddrMigrateCountsOnlyTheMovedFoliosAndNoFilterPassedBytes()
    {
        // 256 pages; the first 64 already on node 1. An anon-allow filter passes all of them.
        var (m, pid, _, a) = Populated(MiB);
        for (ulong off = 0; off < MiB / 4; off += 4096)
        {
            m.TryTranslate(pid, a + off, out uint f);
            m.MigrateFolio(f, 1, out _);
        }
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        var s = OpsTestContext.Scheme(DamosAction.MigrateHot, 1, new DamosFilter(DamosFilterType.Anon, true, true));
        // damos_va_migrate: the 64 on node 1 are isolated, then left by damon_migrate_pages
        // (the folio list of the target node itself migrates nothing): 192 pages applied, and
        // *sz_filter_passed is never written, so 0 — not the 256 pages that passed the filter.
        Assert.Equal(192UL * 4096, ops.ApplyScheme(ctx, t, r, s, out ulong passed));
        Assert.Equal(0UL, passed);
        Assert.Equal(256UL, PagesOnNode(m, pid, a, MiB, 1));
        // No last_applied in vaddr's migrate: the same walk again finds them all placed.
        Assert.Null(s.LastApplied);
    }

    [Fact]
    public void PaddrMigrateTakesALargeFolioThatStartsBeforeTheRegionAndStepsByItsSize()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * MiB, MapFlags.Thp);
        Touch(m, tid, a, 4 * MiB);
        m.TryTranslate(pid, a, out uint fa);
        m.TryTranslate(pid, a + 2 * MiB, out uint fb);
        ulong pa = (ulong)m.Frames.FolioHead(fa) << 12;
        // Two THPs, A at pa and B right after it (the allocator is deterministic).
        Assert.Equal(pa + 2 * MiB, (ulong)m.Frames.FolioHead(fb) << 12);
        Assert.Equal(512u, m.Frames.FolioNrPages(m.Frames.FolioHead(fa)));
        var ops = new SimPaddrOperations(m);
        var (ctx, t, r1) = OpsTestContext.Make(ops, 0, pa + MiB, pa + 3 * MiB);
        var r2 = t.NewRegion(pa + 3 * MiB, pa + 4 * MiB);
        t.AddRegion(r2);

        // LRU (de)activation leaves A (it starts before r1) and acts on B only.
        Assert.Equal(2 * MiB, ops.ApplyScheme(ctx, t, r1, OpsTestContext.Scheme(DamosAction.LruDeprio), out _));

        // damon_pa_migrate from addr = pa + 1 MiB: A is migrated whole, then addr += folio_size
        // = pa + 3 MiB, the end of r1, so B is not reached from r1 ...
        var s = OpsTestContext.Scheme(DamosAction.MigrateHot, targetNid: 1);
        Assert.Equal(2 * MiB, ops.ApplyScheme(ctx, t, r1, s, out _));
        Assert.Equal(512UL, PagesOnNode(m, pid, a, 2 * MiB, 1));
        Assert.Equal(0UL, PagesOnNode(m, pid, a + 2 * MiB, 2 * MiB, 1));
        // ... but from r2, where it starts before the region too.
        Assert.Equal(2 * MiB, ops.ApplyScheme(ctx, t, r2, s, out _));
        Assert.Equal(1024UL, PagesOnNode(m, pid, a, 4 * MiB, 1));
    }

    [Fact]
    public void MigrateToAnInvalidNodeDoesNothing()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        Assert.Equal(0UL, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.MigrateCold, targetNid: 5), out _));
        Assert.Equal(256UL, PagesOnNode(m, pid, a, MiB, 0));
    }

    [Fact]
    public void MigrateDestsSpreadPagesByWeight()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        var s = OpsTestContext.Scheme(DamosAction.MigrateCold);
        s.MigrateDests.NodeIdArr = [0, 1];
        s.MigrateDests.WeightArr = [1, 3];
        ulong applied = ops.ApplyScheme(ctx, t, r, s, out _);
        Assert.Equal(192UL, PagesOnNode(m, pid, a, MiB, 1));
        Assert.Equal(192UL * 4096, applied); // the quarter bound for node 0 stayed
        for (ulong i = 0; i < 8; i++)
            Assert.Equal(((a >> 12) + i) % 4 < 1 ? 0 : 1, m.NodeOfAddr(pid, a + i * 4096));
    }

    [Fact]
    public void MigrateDestsIndexAThpByItsOrder()
    {
        // damos_va_migrate_dests_add for a 2 MiB folio: order 9, ilx = (pgoff >> 9) + ((addr -
        // vm_start) >> 21), so with weights 1:1 neighbouring THPs alternate nodes, where the
        // order-0 index of their first pages (both multiples of 512) would send both to node 0.
        var (m, pid, _, a) = Populated(8 * MiB, MapFlags.Anon | MapFlags.Thp);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + 8 * MiB);
        var s = OpsTestContext.Scheme(DamosAction.MigrateCold);
        s.MigrateDests.NodeIdArr = [0, 1];
        s.MigrateDests.WeightArr = [1, 1];
        ops.ApplyScheme(ctx, t, r, s, out _);
        ulong pgoff = a >> 12;
        int nrThp = 0;
        for (ulong b = (a + (2 * MiB - 1)) & ~(2 * MiB - 1); b + 2 * MiB <= a + 8 * MiB; b += 2 * MiB)
        {
            Assert.True(m.TryTranslate(pid, b, out uint f));
            Assert.Equal(512u, m.Frames.FolioNrPages(m.Frames.FolioHead(f)));
            ulong ilx = (pgoff >> 9) + ((b - a) >> 21);
            Assert.Equal(ilx % 2 == 0 ? 0 : 1, m.NodeOfAddr(pid, b));
            nrThp++;
        }
        Assert.InRange(nrThp, 3, 4);
    }

    [Fact]
    public void VaddrPageoutSwapsOutAndTheNextTouchSwapsIn()
    {
        var (m, pid, tid, a) = Populated(MiB, write: true);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Pageout), out _));
        Assert.True(m.IsSwapped(pid, a));
        Assert.Equal(0UL, m.NodeUsedBytes(0));
        Assert.Equal(256UL, m.Swap.NrUsed);
        ulong psi = m.PsiStallNs;
        Touch(m, tid, a, 4096);
        Assert.False(m.IsSwapped(pid, a));
        Assert.Equal(1UL, m.Swap.NrSwapIns);
        Assert.Equal(psi + m.Spec.Swap.ReadLatencyNs + m.Spec.Faults.MinorFaultNs, m.PsiStallNs);
    }

    [Fact]
    public void MadviseOverAHoleAppliesToMappedPartsButReportsZero()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a - MiB, a + MiB);
        Assert.Equal(0UL, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Pageout), out _));
        Assert.True(m.IsSwapped(pid, a));
    }

    [Fact]
    public void PaddrPageoutSkipsYoungPagesThroughItsImplicitFilter()
    {
        var (m, pid, tid, a) = Populated(MiB);
        var ops = new SimPaddrOperations(m);
        var (start, end) = OpsTestContext.Node0(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, 0, start, end);
        // Everything was just touched (young): make the first half old again.
        for (ulong off = 0; off < MiB / 2; off += 4096)
        {
            m.TryTranslate(pid, a + off, out uint f);
            m.DamonMkold(f);
        }
        Touch(m, tid, a + MiB / 2, MiB / 2);
        var s = OpsTestContext.Scheme(DamosAction.Pageout);
        Assert.Equal(MiB / 2, ops.ApplyScheme(ctx, t, r, s, out ulong passed));
        Assert.Equal(MiB / 2, passed);
        Assert.True(m.IsSwapped(pid, a));
        Assert.False(m.IsSwapped(pid, a + MiB / 2));
        Assert.Empty(s.OpsFilters); // the young filter was temporary
    }

    [Fact]
    public void PaddrPageoutWithItsOwnYoungFilterGetsNoImplicitOne()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimPaddrOperations(m);
        var (start, end) = OpsTestContext.Node0(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, 0, start, end);
        // "allow young": young pages are paged out; the rest, by default, too (last filter allows → default reject).
        var s = OpsTestContext.Scheme(DamosAction.Pageout, Damos.NumaNoNode, new DamosFilter(DamosFilterType.Young, true, true));
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, s, out _));
        Assert.True(m.IsSwapped(pid, a));
    }

    [Fact]
    public void ColdDeactivatesAndClearsReferences()
    {
        var (m, pid, _, a) = Populated(MiB);
        m.TryTranslate(pid, a, out uint f);
        m.SetFolioActive(f, true);
        Assert.True(m.IsActive(f) && m.IsYoung(f));
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Cold), out _));
        Assert.False(m.IsActive(f));
        Assert.False(m.IsYoung(f));
    }

    [Fact]
    public void LruPrioAndDeprioMoveFoliosBetweenLists()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimPaddrOperations(m);
        var (start, end) = OpsTestContext.Node0(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, 0, start, end);
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.LruPrio), out _));
        m.GetLruSizes(out ulong active, out ulong inactive);
        Assert.Equal((MiB, 0UL), (active, inactive));
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.LruDeprio), out _));
        m.GetLruSizes(out active, out inactive);
        Assert.Equal((0UL, MiB), (active, inactive));
    }

    [Fact]
    public void HugepageAndNohugepageChangeFutureFaults()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 8 * MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + 4 * MiB);
        Assert.Equal(4 * MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Hugepage), out _));
        Assert.True(m.Process(pid).FindVma(a)!.Thp);
        Assert.False(m.Process(pid).FindVma(a + 4 * MiB)!.Thp); // madvise split the VMA
        Touch(m, tid, a, 4096);
        Touch(m, tid, a + 4 * MiB, 4096);
        m.TryTranslate(pid, a, out uint huge);
        m.TryTranslate(pid, a + 4 * MiB, out uint small);
        Assert.Equal(512u, m.Frames.FolioNrPages(huge));
        Assert.Equal(1u, m.Frames.FolioNrPages(small));
        Assert.Equal(4 * MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Nohugepage), out _));
        Assert.False(m.Process(pid).FindVma(a)!.Thp);
        Touch(m, tid, a + 2 * MiB, 4096);
        m.TryTranslate(pid, a + 2 * MiB, out uint after);
        Assert.Equal(1u, m.Frames.FolioNrPages(after));
    }

    [Fact]
    public void CollapseMakesATransparentHugePage()
    {
        var (m, pid, tid, a) = Populated(4 * MiB, write: true);
        Assert.Equal(0UL, a % (2 * MiB));
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + 2 * MiB);
        ulong before = m.NodeUsedBytes(0);
        Assert.Equal(2 * MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Collapse), out _));
        m.TryTranslate(pid, a + 12345, out uint f);
        Assert.Equal(512u, m.Frames.FolioNrPages(f));
        Assert.Equal(before, m.NodeUsedBytes(0));
        Assert.True((m.Frames.GetFlags(m.Frames.FolioHead(f)) & PageFlags.Dirty) != 0);
        m.TryTranslate(pid, a + 2 * MiB, out uint g);
        Assert.Equal(1u, m.Frames.FolioNrPages(g));
        Assert.True(m.BackgroundNs(ctx) > 0);
    }

    [Fact]
    public void WillneedBringsSwappedPagesBack()
    {
        var (m, pid, _, a) = Populated(MiB, write: true);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Pageout), out _);
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Willneed), out _));
        Assert.False(m.IsSwapped(pid, a));
        Assert.Equal(MiB, m.NodeUsedBytes(0));
        Assert.Equal(0UL, m.Swap.NrUsed);
    }

    [Fact]
    public void StatAppliesNothingAndCountsFilterPassedBytesOnlyWithFilters()
    {
        var (m, pid, _, a) = Populated(MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        Assert.Equal(0UL, ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Stat), out ulong passed));
        Assert.Equal(0UL, passed);
        var s = OpsTestContext.Scheme(DamosAction.Stat, Damos.NumaNoNode, new DamosFilter(DamosFilterType.Anon, true, true));
        Assert.Equal(0UL, ops.ApplyScheme(ctx, t, r, s, out passed));
        Assert.Equal(MiB, passed);
        Assert.Equal(256UL, PagesOnNode(m, pid, a, MiB, 0));
    }

    [Fact]
    public void LastAppliedActsOnAFolioSpanningTwoRegionsOnce()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB, MapFlags.Thp);
        Touch(m, tid, a, 4096);
        var ops = new SimPaddrOperations(m);
        m.TryTranslate(pid, a, out uint f);
        ulong pa = (ulong)m.Frames.FolioHead(f) << 12;
        var (ctx, t, r1) = OpsTestContext.Make(ops, 0, pa, pa + MiB);
        var r2 = t.NewRegion(pa + MiB, pa + 2 * MiB);
        t.AddRegion(r2);
        var s = OpsTestContext.Scheme(DamosAction.LruPrio);
        Assert.Equal(2 * MiB, ops.ApplyScheme(ctx, t, r1, s, out _));
        Assert.Equal(0UL, ops.ApplyScheme(ctx, t, r2, s, out _));
    }
}
