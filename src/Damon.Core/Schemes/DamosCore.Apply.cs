using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Util;

namespace Damon.Core.Schemes;

/// <summary>
/// DAMOS in the kdamond: scheduling, quotas, filters, watermarks and the apply round (core.c's
/// damos_* and kdamond_apply_schemes).
/// </summary>
public static partial class DamosCore
{
    /// <summary>damos_set_next_apply_sis.</summary>
    public static void SetNextApplySis(Damos s, DamonContext ctx)
    {
        ulong si = Math.Max(ctx.Attrs.SampleIntervalUs, 1);
        ulong applyIntervalUs = s.ApplyIntervalUs != 0 ? s.ApplyIntervalUs : ctx.Attrs.AggrIntervalUs;
        s.NextApplySis = ctx.PassedSampleIntervals + applyIntervalUs / si;
    }

    /// <summary>__damos_valid_target: the region matches the access pattern (inclusive bounds).</summary>
    public static bool PatternMatches(DamonContext ctx, Region r, Damos s)
    {
        var p = s.Pattern;
        ulong sz = r.Size;
        uint nrAccesses = DamonCore.NrAccessesMvsum(r, ctx);
        return p.MinSzRegion <= sz && sz <= p.MaxSzRegion
            && p.MinNrAccesses <= nrAccesses && nrAccesses <= p.MaxNrAccesses
            && p.MinAgeRegion <= RegionOwnAges.Of(r, s.AgeOwner) && RegionOwnAges.Of(r, s.AgeOwner) <= p.MaxAgeRegion;
    }

    /// <summary>damos_valid_target: the pattern matches and, under a quota, the score is high enough.</summary>
    public static bool ValidTarget(DamonContext ctx, Target t, Region r, Damos s)
    {
        bool ret = PatternMatches(ctx, r, s);
        var ops = ctx.Ops;
        if (!ret || !QuotaIsSet(s.Quota) || ops is null || !ops.Has(OpsCallbacks.GetSchemeScore))
            return ret;
        return ops.GetSchemeScore(ctx, t, r, s) >= s.Quota.MinScore;
    }

    private static void UpdateStat(Damos s, ulong szTried, ulong szApplied, ulong szOpsFilterPassed)
    {
        var st = s.Stat;
        st.NrTried++;
        st.SzTried += szTried;
        if (szApplied != 0)
            st.NrApplied++;
        st.SzApplied += szApplied;
        st.SzOpsFilterPassed += szOpsFilterPassed;
    }

    /// <summary>
    /// damos_apply_scheme: hand the region (cut to what the quota has left) to the operations set,
    /// charge the quota and remember where to resume if it is now full.
    /// </summary>
    /// <returns>The bytes the action was applied to.</returns>
    internal static ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s)
    {
        var q = s.Quota;
        ulong sz = r.Size;
        ulong szApplied = 0, szOpsFilterPassed = 0;
        var ops = ctx.Ops;
        if (ops is not null && ops.Has(OpsCallbacks.ApplyScheme))
        {
            if (QuotaIsSet(q) && q.ChargedSz + sz > q.Esz)
            {
                sz = KernelMath.AlignDown(q.Esz - q.ChargedSz, ctx.MinRegionSz);
                if (sz == 0)
                {
                    UpdateStat(s, sz, szApplied, szOpsFilterPassed);
                    return 0;
                }
                DamonCore.SplitRegionAt(t, r, sz);
            }
            if (CoreFilterOut(ctx, t, r, s))
                return 0;
            ulong beginNs = ctx.Clock.NowNs;
            szApplied = ops.ApplyScheme(ctx, t, r, s, out szOpsFilterPassed);
            WalkCallWalk(ctx, t, r, s, szOpsFilterPassed);
            q.TotalChargedNs += ctx.Clock.NowNs - beginNs;
            ChargeQuota(q, sz, szApplied);
            if (QuotaIsFull(q, ctx.MinRegionSz))
            {
                q.ChargeTargetFrom = t;
                q.ChargeAddrFrom = r.End;
            }
        }
        // The region's access pattern changed by the action; let it age afresh. Shared among
        // modules, only the age the scheme's own module sees starts afresh (RegionOwnAges), as
        // its own kdamond's would: another module's action, even one that moved pages away,
        // leaves the rest of the region as idle as it was.
        if (s.Action != DamosAction.Stat)
        {
            if (ctx.DamosShared && s.AgeOwner >= 0)
                RegionOwnAges.ResetOwner(r, s.AgeOwner);
            else if (!ctx.DamosShared || (szApplied != 0 && MovesPages(s.Action)))
            {
                // Outside a shared context every action does (damos_apply_scheme); a shared scheme of
                // no module only when pages left the region, and then for every module.
                r.Age = 0;
                r.OwnAges = null;
            }
        }
        UpdateStat(s, sz, szApplied, szOpsFilterPassed);
        return szApplied;
    }

    /// <summary>Actions after which the region's pages are elsewhere (swap, another node).</summary>
    public static bool MovesPages(DamosAction a) =>
        a is DamosAction.Pageout or DamosAction.MigrateHot or DamosAction.MigrateCold;

    /// <summary>damon_do_apply_schemes: every due, active scheme on one region.</summary>
    private static void DoApplySchemes(DamonContext ctx, Target t, Region r, bool[] targetRejected)
    {
        bool moved = false;
        for (int i = 0; i < ctx.Schemes.Count; i++)
        {
            var s = ctx.Schemes[i];
            if (ctx.PassedSampleIntervals < s.NextApplySis)
                continue;
            if (!s.Wmarks.Activated)
                continue;
            if (QuotaIsFull(s.Quota, ctx.MinRegionSz))
                continue;
            if (SkipChargedRegion(t, r, s, ctx.MinRegionSz))
                continue;
            if (s.MaxNrSnapshots != 0 && s.Stat.NrSnapshots >= s.MaxNrSnapshots)
                continue;
            // Shared: a region an earlier scheme moved this round is not offered to a later mover.
            // Shared: a target whose target filters reject every region for the scheme is not
            // offered either (the verdict damos_apply_scheme's core filters would give, without the
            // pattern, score and quota cut before it); the checks above keep the kernel's order.
            bool claimed = (moved && MovesPages(s.Action)) || targetRejected[i];
            if (!claimed && ValidTarget(ctx, t, r, s) && ApplyScheme(ctx, t, r, s) != 0 && ctx.DamosShared && MovesPages(s.Action))
                moved = true;
            if (t.IsLastRegion(r))
                s.Stat.NrSnapshots++;
        }
    }

    /// <summary>
    /// kdamond_apply_schemes: one apply round. Regions split by quotas or filters are visited as
    /// the walk reaches them; afterwards a region identical to its left neighbour is merged back so
    /// the split does not cost monitoring budget.
    /// </summary>
    public static void ApplySchemes(DamonContext ctx)
    {
        bool hasSchemesToApply = false;
        foreach (var s in ctx.Schemes)
        {
            if (ctx.PassedSampleIntervals < s.NextApplySis)
                continue;
            if (!s.Wmarks.Activated)
                continue;
            hasSchemesToApply = true;
            AdjustQuota(ctx, s);
        }
        if (!hasSchemesToApply)
            return;

        ulong maxRegionSz = DamonCore.RegionSzLimit(ctx);
        var ops = ctx.Ops;
        if (ctx.SchemeTargetRejected.Length < ctx.Schemes.Count)
            ctx.SchemeTargetRejected = new bool[ctx.Schemes.Count];
        var targetRejected = ctx.SchemeTargetRejected;
        foreach (var t in ctx.Targets)
        {
            if (ops is not null && ops.Has(OpsCallbacks.TargetValid) && !ops.TargetValid(t))
                continue;
            // Only in a shared context: elsewhere every region goes through damos_apply_scheme as in the kernel.
            for (int i = 0; i < ctx.Schemes.Count; i++)
                targetRejected[i] = ctx.DamosShared && CoreFiltersRejectTarget(ctx, t, ctx.Schemes[i]);
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                DoApplySchemes(ctx, t, r, targetRejected);
                var prev = r.PrevRegion;
                if (prev is not null && prev.End == r.Start && prev.Age == r.Age && RegionOwnAges.Equal(prev, r)
                    && prev.LastNrAccesses == r.LastNrAccesses && prev.NrAccesses == r.NrAccesses
                    && r.End - prev.Start <= maxRegionSz)
                {
                    prev.End = r.End;
                    t.DestroyRegion(r);
                    r = prev;
                }
            }
        }

        foreach (var s in ctx.Schemes)
        {
            if (ctx.PassedSampleIntervals < s.NextApplySis)
                continue;
            WalkComplete(ctx, s);
            SetNextApplySis(s, ctx);
            s.LastApplied = null;
        }
    }
}
