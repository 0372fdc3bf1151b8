using System.Runtime.CompilerServices;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Core.Util;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Sim.Operations;

/// <summary>
/// The vaddr operations set (mm/damon/vaddr.c) on the simulated machine: targets are processes
/// (Target.Pid); with <c>fixedRanges</c> it is fvaddr, which has no init/update and monitors the
/// ranges the user set.
/// </summary>
public class SimVaddrOperations(SimMachine machine, bool fixedRanges = false) : DamonOperations
{
    // __damon_va_check_access's function-static cache of the last checked folio.
    private ulong _lastAddr;
    private ulong _lastFolioSz = PageSizes.PageSize;
    private bool _lastAccessed;

    public SimMachine Machine { get; } = machine;

    /// <summary>What <c>nohugepage</c> does to THPs already mapped in the range (the kernel: nothing).</summary>
    public ThpShrink NohugepageShrink { get; init; }

    /// <summary>
    /// With <see cref="NohugepageShrink"/>: shrink only THPs with more than this many never-touched
    /// subpages (khugepaged/max_ptes_none, as thp_underused reads it); null: every THP.
    /// </summary>
    public uint? ThpMaxPtesNone { get; init; }

    /// <summary>
    /// <c>collapse</c> skips a block with more than this many none PTEs (khugepaged/max_ptes_none);
    /// null: any block with a present page, as MADV_COLLAPSE. Settable: a module's commit changes it
    /// (inside the kdamond's call).
    /// </summary>
    public uint? CollapseMaxPtesNone { get; set; }

    public override OperationsId Id => fixedRanges ? OperationsId.Fvaddr : OperationsId.Vaddr;

    public override OpsCallbacks Callbacks =>
        (fixedRanges ? OpsCallbacks.None : OpsCallbacks.Init | OpsCallbacks.Update)
        | OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses | OpsCallbacks.GetSchemeScore
        | OpsCallbacks.ApplyScheme | OpsCallbacks.TargetValid | OpsCallbacks.CleanupTarget;

    private SimProcess? Alive(Target t) => Machine.TryGetProcess(t.Pid) is { Alive: true } p ? p : null;

    /// <summary>damon_va_three_regions of the target's current VMAs.</summary>
    public bool ThreeRegions(Target t, ulong minSz, Span<AddrRange> regions)
    {
        var p = Alive(t);
        return p is not null && VaddrRegions.ThreeRegionsInVmas(p.VmaRanges(), minSz, regions);
    }

    public override void Init(DamonContext ctx) => VaddrRegions.Init(ctx, ThreeRegions);

    public override void Update(DamonContext ctx) => VaddrRegions.Update(ctx, ThreeRegions);

    /// <summary>
    /// damon_va_prepare_access_checks: a random address per region, made old — or, with the
    /// page_fault primitive, protected so its next access is reported. In three passes over a
    /// target's regions (draw and prefetch the PTEs; read them and prefetch the flags; mkold), so
    /// the regions' cache misses overlap; the draws, and every effect, are in the kernel's order.
    /// </summary>
    public override void PrepareAccessChecks(DamonContext ctx)
    {
        bool pageFault = ctx.Attrs.SampleControl.UsesReports;
        var sc = Scratch(ctx);
        sc.EnsureTargets(ctx.Targets.Count);
        if (pageFault)
        {
            sc.Invalidate();
            Machine.DamonFaults.BeginSample(ctx);
        }
        int first = 0;
        for (int ti = 0; ti < ctx.Targets.Count; ti++)
        {
            var t = ctx.Targets[ti];
            var p = Alive(t);
            sc.EnsureRegions(first + t.NrRegions);
            var pt = p?.PageTable;
            int i = first;
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion, i++)
            {
                r.SamplingAddr = ctx.Random.Next(r.Start, r.End);
                sc.Vpages[i] = r.SamplingAddr >> PageSizes.PageShift;
                pt?.PrefetchEntry(sc.Vpages[i]);
            }
            if (pt is null)
            {
                sc.TargetTables[ti] = null;
                first = i;
                continue;
            }
            for (int j = first; j < i; j++)
            {
                uint e = pt.Get(sc.Vpages[j]);
                sc.Ptes[j] = e;
                if (e - 1 < PageTable.SwapBit - 1)
                    Machine.Frames.PrefetchFlags(e - 1);
            }
            for (int j = first; j < i; j++)
            {
                uint e = sc.Ptes[j];
                if (e - 1 >= PageTable.SwapBit - 1)
                    continue;
                if (pageFault)
                    Machine.DamonFaults.Protect(ctx, e - 1);
                else
                    Machine.DamonMkold(e - 1);
            }
            // Protection goes through no PTE write here, but keep the page_fault path walking afresh.
            sc.TargetTables[ti] = pageFault ? null : pt;
            sc.TargetGenerations[ti] = pt.Generation;
            first = i;
        }
    }

    /// <summary>
    /// damon_va_check_accesses: regions whose sample falls in the folio checked just before, in
    /// the same target, reuse that result. The PTE is the one prepare read while the target's
    /// page table has not been written since (else a fresh walk); every region's flags are
    /// prefetched before the first is used.
    /// </summary>
    public override uint CheckAccesses(DamonContext ctx)
    {
        uint max = 0;
        var sc = Scratch(ctx);
        sc.EnsureTargets(ctx.Targets.Count);
        int first = 0;
        for (int ti = 0; ti < ctx.Targets.Count; ti++)
        {
            var t = ctx.Targets[ti];
            var p = Alive(t);
            sc.EnsureRegions(first + t.NrRegions);
            var pt = p?.PageTable;
            bool reuse = pt is not null && ReferenceEquals(sc.TargetTables[ti], pt) && sc.TargetGenerations[ti] == pt.Generation;
            int i = first;
            if (pt is not null)
            {
                for (var r = t.FirstRegion; r is not null; r = r.NextRegion, i++)
                {
                    ulong vp = r.SamplingAddr >> PageSizes.PageShift;
                    uint e = reuse && sc.Vpages[i] == vp ? sc.Ptes[i] : pt.Get(vp);
                    sc.Vpages[i] = vp;
                    sc.Ptes[i] = e;
                    if (e - 1 < PageTable.SwapBit - 1)
                        Machine.Frames.PrefetchFlags(e - 1);
                }
            }
            bool sameTarget = false;
            i = first;
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion, i++)
            {
                if (p is null)
                {
                    DamonCore.UpdateRegionAccessRate(r, false);
                }
                else if (sameTarget && KernelMath.AlignDown(_lastAddr, _lastFolioSz) == KernelMath.AlignDown(r.SamplingAddr, _lastFolioSz))
                {
                    DamonCore.UpdateRegionAccessRate(r, _lastAccessed);
                }
                else
                {
                    _lastAccessed = false;
                    uint e = sc.Ptes[i];
                    if (e - 1 < PageTable.SwapBit - 1)
                    {
                        _lastAccessed = Machine.DamonYoung(e - 1, out uint nrPages);
                        _lastFolioSz = (ulong)nrPages << PageSizes.PageShift;
                    }
                    DamonCore.UpdateRegionAccessRate(r, _lastAccessed);
                    _lastAddr = r.SamplingAddr;
                }
                sameTarget = true;
                max = Math.Max(max, r.NrAccesses);
            }
            first = i;
        }
        return max;
    }

    private readonly ConditionalWeakTable<DamonContext, SampleScratch> _scratch = new();

    private SampleScratch Scratch(DamonContext ctx) => _scratch.GetOrCreateValue(ctx);

    public override bool TargetValid(Target t) => Alive(t) is not null;

    public override int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) => DamosScores.VaSchemeScore(ctx, r, s);

    public override ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        szOpsFilterPassed = 0;
        var p = Alive(t);
        if (p is null)
            return 0;
        ulong costNs = 0;
        ulong applied = s.Action switch
        {
            DamosAction.Willneed or DamosAction.Cold or DamosAction.Pageout or DamosAction.Hugepage
                or DamosAction.Nohugepage or DamosAction.Collapse => Madvise(p, r, s.Action, ref costNs),
            DamosAction.MigrateHot or DamosAction.MigrateCold => Migrate(ctx, p, r, s, ref costNs),
            DamosAction.Stat => Stat(p, r, s, ref szOpsFilterPassed),
            _ => 0,
        };
        Machine.ChargeBackground(ctx, costNs);
        return applied;
    }

    /// <summary>
    /// damos_madvise: the advice on [PAGE_ALIGN(start), +PAGE_ALIGN(size)). Mapped parts get the
    /// effect; like madvise(2) the call fails (0 bytes applied) if the range has unmapped holes.
    /// </summary>
    private ulong Madvise(SimProcess p, Region r, DamosAction action, ref ulong costNs)
    {
        ulong start = KernelMath.AlignUp(r.Start, PageSizes.PageSize);
        ulong len = KernelMath.AlignUp(r.Size, PageSizes.PageSize);
        ulong end = start + len;
        bool split = action is DamosAction.Hugepage or DamosAction.Nohugepage;
        var vmas = p.VmasIn(start, end, split);
        ulong covered = 0;
        bool ok = true;
        foreach (var v in vmas)
        {
            ulong s = Math.Max(start, v.Start), e = Math.Min(end, v.End);
            covered += e - s;
            switch (action)
            {
                case DamosAction.Hugepage:
                    v.Flags |= MapFlags.Thp;
                    break;
                case DamosAction.Nohugepage:
                    v.Flags &= ~MapFlags.Thp;
                    if (NohugepageShrink != ThpShrink.None)
                        ShrinkThps(p, s, e, ref costNs);
                    break;
                case DamosAction.Collapse:
                    for (ulong b = KernelMath.AlignUp(s, PageSizes.ThpSize); b + PageSizes.ThpSize <= e; b += PageSizes.ThpSize)
                    {
                        ok &= Machine.CollapseBlock(p.Pid, b, out ulong c, CollapseMaxPtesNone);
                        costNs += c;
                    }
                    break;
                default:
                    ForEachPage(p, v, s, e, action, ref costNs);
                    break;
            }
        }
        return ok && covered == len ? len : 0;
    }

    /// <summary>Split or move out every THP whose 2 MiB block starts in [start, end).</summary>
    private void ShrinkThps(SimProcess p, ulong start, ulong end, ref ulong costNs)
    {
        for (ulong b = KernelMath.AlignUp(start, PageSizes.ThpSize); b < end; b += PageSizes.ThpSize)
        {
            if (!Machine.TryTranslate(p.Pid, b, out uint frame) || Machine.Frames.FolioNrPages(frame) == 1)
                continue;
            ulong c;
            if (NohugepageShrink == ThpShrink.Split)
                Machine.SplitUnderusedThp(frame, out c, ThpMaxPtesNone);
            else
                Machine.MoveUsedSubpagesOut(frame, out c, ThpMaxPtesNone);
            costNs += c;
        }
    }

    private void ForEachPage(SimProcess p, Vma v, ulong start, ulong end, DamosAction action, ref ulong costNs)
    {
        var pt = p.PageTable;
        for (ulong a = start; a < end; a += PageSizes.PageSize)
        {
            ulong vp = a >> PageSizes.PageShift;
            if (pt.Leaf(vp >> PageTable.LeafShift) is null && action != DamosAction.Willneed)
            {
                a = Math.Min(end, ((vp >> PageTable.LeafShift) + 1) << (PageTable.LeafShift + PageSizes.PageShift)) - PageSizes.PageSize;
                continue;
            }
            uint e = pt.Get(vp);
            if (action == DamosAction.Willneed)
            {
                // Swap readahead for anonymous memory, page-cache readahead for files.
                if ((e >= PageTable.SwapBit && v.IsAnon) || (e == 0 && !v.IsAnon))
                    costNs += Machine.Populate(p.Pid, a);
                continue;
            }
            if (e == 0 || e >= PageTable.SwapBit)
                continue;
            uint head = Machine.Frames.FolioHead(e - 1);
            uint nr = Machine.Frames.FolioNrPages(head);
            ulong folioEnd = (Machine.Frames.OwnerVpage(head) + nr) << PageSizes.PageShift;
            if (action == DamosAction.Cold)
            {
                Machine.MakeCold(head);
            }
            else if (action == DamosAction.Pageout)
            {
                Machine.PageoutFolio(head, out ulong c);
                costNs += c;
            }
            if (nr > 1)
                a = Math.Max(a, folioEnd - PageSizes.PageSize);
        }
    }

    /// <summary>
    /// damos_va_migrate: move each folio that passes the ops filters to target_nid, or to its
    /// weighted destination (§3.11). As in the kernel it reports no filter-passed bytes and keeps
    /// no last_applied folio; a folio already on its destination is not moved and adds nothing
    /// (with dests damos_va_migrate_dests_add skips it, with target_nid damon_migrate_pages leaves
    /// the folios of the target node where they are), so a folio walked again from a second
    /// region is already there.
    /// </summary>
    private ulong Migrate(DamonContext ctx, SimProcess p, Region r, Damos s, ref ulong costNs)
    {
        var dests = s.MigrateDests;
        bool useDests = dests.NrDests > 0;
        ulong totalWeight = 0;
        if (useDests)
        {
            foreach (uint w in dests.WeightArr) totalWeight += w;
            if (totalWeight == 0) return 0;
        }
        else if (s.TargetNid < 0 || s.TargetNid >= Machine.NrNodes)
        {
            return 0;
        }
        ulong applied = 0;
        foreach (var (v, addr, head, nr) in new FolioWalk(Machine, p, r.Start, r.End))
        {
            if (FolioFilters.FilterOut(Machine, s, head))
                continue;
            int dst = s.TargetNid;
            if (useDests)
            {
                int order = nr > 1 ? PageSizes.ThpOrder : 0;
                ulong ilx = (v.Pgoff >> order) + ((addr - v.Start) >> (PageSizes.PageShift + order));
                dst = SimMachine.WeightedPick(dests.NodeIdArr, dests.WeightArr, ilx);
            }
            if (Machine.NodeOfFrame(head) == dst)
                continue;
            uint moved = Machine.MigrateFolio(head, dst, out ulong c, ctx);
            costNs += c;
            applied += (ulong)moved << PageSizes.PageShift;
        }
        return applied;
    }

    private ulong Stat(SimProcess p, Region r, Damos s, ref ulong szOpsFilterPassed)
    {
        if (s.OpsFilters.Count == 0)
            return 0;
        ulong passed = 0;
        foreach (var f in new FolioWalk(Machine, p, r.Start, r.End))
        {
            if (!FolioFilters.FilterOut(Machine, s, f.Head))
                passed += (ulong)f.NrPages << PageSizes.PageShift;
        }
        szOpsFilterPassed = passed;
        return 0;
    }
}
