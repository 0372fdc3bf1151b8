using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Sim.Operations;

/// <summary>
/// The paddr operations set (mm/damon/paddr.c) on the simulated machine's physical address space.
/// Region addresses are in core units: real address = address × ctx.AddrUnit. Folios are found
/// through the frame table and their mappings through the reverse map.
/// </summary>
/// <remarks>
/// Unlike vaddr, paddr checks every region's sample afresh: kernels up to 6.17 reused the last
/// result when a sample fell in the previously checked folio, with the cache living across
/// sampling intervals (so a one-folio region could keep a stale result forever); the newest
/// trees removed that reuse, and so does this set.
/// </remarks>
public sealed class SimPaddrOperations(SimMachine machine) : DamonOperations
{
    public SimMachine Machine { get; } = machine;

    public override OperationsId Id => OperationsId.Paddr;

    public override OpsCallbacks Callbacks =>
        OpsCallbacks.PrepareAccessChecks | OpsCallbacks.CheckAccesses | OpsCallbacks.GetSchemeScore | OpsCallbacks.ApplyScheme;

    /// <summary>damon_get_folio: the allocated (LRU) folio holding a physical address, as its head frame.</summary>
    private bool TryGetFolio(ulong paddr, out uint head)
    {
        ulong frame = paddr >> PageSizes.PageShift;
        head = 0;
        if (frame >= Machine.NrFrameSlots)
            return false;
        if ((Machine.Frames.GetFlags((uint)frame) & PageFlags.Allocated) == 0)
            return false;
        head = Machine.Frames.FolioHead((uint)frame);
        return true;
    }

    private void PrefetchFolio(ulong paddr)
    {
        ulong frame = paddr >> PageSizes.PageShift;
        if (frame < Machine.NrFrameSlots)
            Machine.Frames.PrefetchFlags((uint)frame);
    }

    /// <summary>
    /// damon_pa_prepare_access_checks: a random address per region, its folio made old — or, with
    /// the page_fault primitive, its mappings protected so the next access is reported.
    /// </summary>
    public override void PrepareAccessChecks(DamonContext ctx)
    {
        bool pageFault = ctx.Attrs.SampleControl.UsesReports;
        if (pageFault)
            Machine.DamonFaults.BeginSample(ctx);
        foreach (var t in ctx.Targets)
        {
            // Draw and prefetch every region's sample first, so their cache misses overlap.
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                r.SamplingAddr = ctx.Random.Next(r.Start, r.End);
                PrefetchFolio(r.SamplingAddr * ctx.AddrUnit);
            }
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                if (!TryGetFolio(r.SamplingAddr * ctx.AddrUnit, out uint head))
                    continue;
                if (pageFault)
                    Machine.DamonFaults.Protect(ctx, head);
                else
                    Machine.DamonMkold(head);
            }
        }
    }

    public override uint CheckAccesses(DamonContext ctx)
    {
        uint max = 0;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
                PrefetchFolio(r.SamplingAddr * ctx.AddrUnit);
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                bool accessed = TryGetFolio(r.SamplingAddr * ctx.AddrUnit, out uint head) && Machine.DamonYoung(head);
                DamonCore.UpdateRegionAccessRate(r, accessed);
                max = Math.Max(max, r.NrAccesses);
            }
        }
        return max;
    }

    public override int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) => DamosScores.PaSchemeScore(ctx, r, s);

    public override ulong BytesOnNode(DamonContext ctx, Target t, Region r, int nid) =>
        Machine.AllocatedBytesOnNode(r.Start * ctx.AddrUnit, r.End * ctx.AddrUnit, nid) / ctx.AddrUnit;

    public override ulong LruBytes(DamonContext ctx, Target t, Region r)
    {
        ulong bytes = 0;
        for (int nid = 0; nid < Machine.NrNodes; nid++)
            bytes += Machine.AllocatedBytesOnNode(r.Start * ctx.AddrUnit, r.End * ctx.AddrUnit, nid);
        return bytes / ctx.AddrUnit;
    }

    public override ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        szOpsFilterPassed = 0;
        switch (s.Action)
        {
            case DamosAction.Pageout:
            case DamosAction.LruPrio:
            case DamosAction.LruDeprio:
            case DamosAction.Stat:
                break;
            case DamosAction.MigrateHot:
            case DamosAction.MigrateCold:
                if (s.TargetNid < 0 || s.TargetNid >= Machine.NrNodes)
                    return 0;
                break;
            default:
                return 0;
        }
        // damon_pa_pageout: unless the scheme has its own, a "reject young" filter is appended for
        // the walk, so recently accessed pages are not paged out. The default verdict stays the one
        // computed from the scheme's filters, as in the kernel.
        DamosFilter? youngReject = null;
        if (s.Action == DamosAction.Pageout && !s.OpsFilters.Any(f => f.Type == DamosFilterType.Young))
        {
            youngReject = new DamosFilter(DamosFilterType.Young, matching: true, allow: false);
            s.OpsFilters.Add(youngReject);
        }
        try
        {
            return Walk(ctx, s, r, out szOpsFilterPassed);
        }
        finally
        {
            if (youngReject is not null)
                s.OpsFilters.Remove(youngReject);
        }
    }

    /// <summary>
    /// Only damon_pa_pageout and damon_pa_mark_accessed_or_deactivate leave a large folio that
    /// starts before the region to the region it starts in; damon_pa_migrate and damon_pa_stat
    /// take every folio their walk lands in.
    /// </summary>
    private static bool SkipsFolioStartingBefore(DamosAction action) =>
        action is DamosAction.Pageout or DamosAction.LruPrio or DamosAction.LruDeprio;

    private ulong Walk(DamonContext ctx, Damos s, Region r, out ulong szOpsFilterPassed)
    {
        ulong unit = ctx.AddrUnit;
        ulong addr = r.Start * unit, end = r.End * unit;
        ulong appliedPages = 0, passedBytes = 0, costNs = 0;
        while (addr < end)
        {
            if (!TryGetFolio(addr, out uint head) || FolioRef.IsLastApplied(s.LastApplied, head))
            {
                addr += PageSizes.PageSize;
                continue;
            }
            uint nr = Machine.Frames.FolioNrPages(head);
            ulong folioSz = (ulong)nr << PageSizes.PageShift;
            ulong folioStart = (ulong)head << PageSizes.PageShift;
            if (folioStart < addr && SkipsFolioStartingBefore(s.Action))
            {
                addr = folioStart + folioSz;
                continue;
            }
            // damon_pa_migrate and the others step by folio_size() from where they are: a folio
            // that starts before the region is taken whole, and the step then lands as far past
            // its end as the region's start was inside it.
            ulong next = addr + folioSz;
            if (FolioFilters.FilterOut(Machine, s, head))
            {
                addr = next;
                continue;
            }
            passedBytes += (ulong)nr << PageSizes.PageShift;
            FolioRef.Set(s, head);
            switch (s.Action)
            {
                case DamosAction.Pageout:
                    Machine.MakeCold(head);
                    appliedPages += Machine.PageoutFolio(head, out ulong c);
                    costNs += c;
                    break;
                case DamosAction.LruPrio:
                    Machine.SetFolioActive(head, true);
                    appliedPages += nr;
                    break;
                case DamosAction.LruDeprio:
                    Machine.SetFolioActive(head, false);
                    appliedPages += nr;
                    break;
                case DamosAction.MigrateHot:
                case DamosAction.MigrateCold:
                    appliedPages += Machine.MigrateFolio(head, s.TargetNid, out ulong mc, ctx);
                    costNs += mc;
                    break;
            }
            addr = next;
        }
        Machine.ChargeBackground(ctx, costNs);
        szOpsFilterPassed = s.Action == DamosAction.Stat && s.OpsFilters.Count == 0 ? 0 : passedBytes / unit;
        return (appliedPages << PageSizes.PageShift) / unit;
    }
}
