using Damon.Core.Monitoring;
using Damon.Core.Util;

namespace Damon.Core.Schemes;

public static partial class DamosCore
{
    /// <summary>
    /// damos_set_filters_default_reject: memory no filter matched gets the opposite of the last
    /// filter's verdict ("allow X" means "only X"). With ops filters present the core layer lets
    /// everything through by default, so the ops layer can decide.
    /// </summary>
    public static void SetFiltersDefaultReject(Damos s)
    {
        s.OpsFiltersDefaultReject = s.OpsFilters.Count != 0 && s.OpsFilters[^1].Allow;
        s.CoreFiltersDefaultReject = s.OpsFilters.Count == 0 && s.CoreFilters.Count != 0 && s.CoreFilters[^1].Allow;
    }

    /// <summary>
    /// damos_filter_match for the core types. An addr filter that covers only part of the region
    /// splits it so the head is wholly in or out; the tail is decided when the walk reaches it.
    /// </summary>
    public static bool FilterMatch(DamonContext? ctx, Target t, Region r, DamosFilter filter, ulong minSz)
    {
        bool matched;
        switch (filter.Type)
        {
            case DamosFilterType.Target:
                matched = ctx is not null && ctx.TargetIndex(t) == filter.TargetIdx;
                break;
            case DamosFilterType.Addr:
                ulong start = KernelMath.AlignDown(filter.AddrRange.Start, minSz);
                ulong end = KernelMath.AlignDown(filter.AddrRange.End, minSz);
                if (start <= r.Start && r.End <= end)
                {
                    matched = true;
                }
                else if (r.End <= start || end <= r.Start)
                {
                    matched = false;
                }
                else if (r.Start < start)
                {
                    DamonCore.SplitRegionAt(t, r, start - r.Start);
                    matched = false;
                }
                else
                {
                    DamonCore.SplitRegionAt(t, r, end - r.Start);
                    matched = true;
                }
                break;
            default:
                return false;
        }
        return matched == filter.Matching;
    }

    /// <summary>
    /// damos_core_filter_out: the first matching core filter decides; none matching means the
    /// default. An allowing match also tells the ops layer to skip its own filters.
    /// </summary>
    public static bool CoreFilterOut(DamonContext ctx, Target t, Region r, Damos s)
    {
        s.CoreFiltersAllowed = false;
        foreach (var filter in s.CoreFilters)
        {
            if (FilterMatch(ctx, t, r, filter, ctx.MinRegionSz))
            {
                if (filter.Allow)
                    s.CoreFiltersAllowed = true;
                return !filter.Allow;
            }
        }
        return s.CoreFiltersDefaultReject;
    }

    /// <summary>
    /// Whether <paramref name="s"/>'s core filters are all target filters and reject every region
    /// of <paramref name="t"/>: the apply round and the quota's score histogram then skip the
    /// target for the scheme instead of asking per region. The verdict is the one damos_core_filter_out
    /// gives each region; what the skip saves is the per-region pattern, score and quota-cut work
    /// before it (docs/kernel-differences.md).
    /// </summary>
    public static bool CoreFiltersRejectTarget(DamonContext ctx, Target t, Damos s)
    {
        if (s.CoreFilters.Count == 0)
            return false;
        int idx = ctx.TargetIndex(t);
        foreach (var filter in s.CoreFilters)
        {
            if (filter.Type != DamosFilterType.Target)
                return false;
            if ((idx == filter.TargetIdx) == filter.Matching)
                return !filter.Allow;
        }
        return s.CoreFiltersDefaultReject;
    }

    /// <summary>
    /// The ops-layer verdict for one folio, for operations sets: <paramref name="matches"/> says
    /// whether the folio is of a filter's type. Returns true when the folio must be skipped.
    /// </summary>
    public static bool OpsFilterOut<TFolio>(Damos s, TFolio folio, Func<DamosFilter, TFolio, bool> matches)
    {
        if (s.CoreFiltersAllowed)
            return false;
        foreach (var filter in s.OpsFilters)
        {
            if (matches(filter, folio) == filter.Matching)
                return !filter.Allow;
        }
        return s.OpsFiltersDefaultReject;
    }
}
