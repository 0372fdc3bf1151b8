using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

/// <summary>
/// damos_commit_*: online update of schemes. Lists are committed by index — the i-th destination
/// element takes the i-th source element's parameters; extra destination elements are dropped and
/// extra source elements appended — so a running scheme keeps its stats and charging state.
/// </summary>
public static partial class DamosCore
{
    /// <summary>damos_commit_quota_goal: current_value only for user_input; last_psi_total never.</summary>
    public static void CommitQuotaGoal(DamosQuotaGoal dst, DamosQuotaGoal src)
    {
        dst.Metric = src.Metric;
        dst.TargetValue = src.TargetValue;
        if (src.Metric == DamosQuotaGoalMetric.UserInput)
            dst.CurrentValue = src.CurrentValue;
        switch (src.Metric)
        {
            case DamosQuotaGoalMetric.NodeMemUsedBp:
            case DamosQuotaGoalMetric.NodeMemFreeBp:
            case DamosQuotaGoalMetric.NodeEligibleMemBp:
                dst.Nid = src.Nid;
                break;
            case DamosQuotaGoalMetric.NodeMemcgUsedBp:
            case DamosQuotaGoalMetric.NodeMemcgFreeBp:
                dst.Nid = src.Nid;
                dst.MemcgId = src.MemcgId;
                break;
        }
    }

    public static void CommitQuotaGoals(DamosQuota dst, DamosQuota src)
    {
        CommitByIndex(dst.Goals, src.Goals, CommitQuotaGoal,
            g => new DamosQuotaGoal(g.Metric, g.TargetValue) { CurrentValue = g.CurrentValue, Nid = g.Nid, MemcgId = g.MemcgId });
    }

    /// <summary>damos_commit_quota: the user-set fields; the charging state stays.</summary>
    public static void CommitQuota(DamosQuota dst, DamosQuota src)
    {
        dst.ResetIntervalMs = src.ResetIntervalMs;
        dst.Ms = src.Ms;
        dst.Sz = src.Sz;
        CommitQuotaGoals(dst, src);
        dst.GoalTuner = src.GoalTuner;
        dst.FailChargeNum = src.FailChargeNum;
        dst.FailChargeDenom = src.FailChargeDenom;
        dst.WeightSz = src.WeightSz;
        dst.WeightNrAccesses = src.WeightNrAccesses;
        dst.WeightAge = src.WeightAge;
    }

    /// <summary>damos_commit_dests: the arrays are replaced wholesale.</summary>
    public static void CommitDests(DamosMigrateDests dst, DamosMigrateDests src)
    {
        dst.NodeIdArr = (int[])src.NodeIdArr.Clone();
        dst.WeightArr = (uint[])src.WeightArr.Clone();
    }

    /// <summary>damos_commit_filter: type, matching, allow and the type's argument.</summary>
    public static void CommitFilter(DamosFilter dst, DamosFilter src)
    {
        dst.Type = src.Type;
        dst.Matching = src.Matching;
        dst.Allow = src.Allow;
        switch (src.Type)
        {
            case DamosFilterType.Memcg: dst.MemcgId = src.MemcgId; break;
            case DamosFilterType.Addr: dst.AddrRange = src.AddrRange; break;
            case DamosFilterType.Target: dst.TargetIdx = src.TargetIdx; break;
            case DamosFilterType.HugepageSize: dst.SzRange = src.SzRange; break;
        }
    }

    public static void CommitFilters(Damos dst, Damos src)
    {
        CommitByIndex(dst.CoreFilters, src.CoreFilters, CommitFilter, f => f.Clone());
        CommitByIndex(dst.OpsFilters, src.OpsFilters, CommitFilter, f => f.Clone());
    }

    /// <summary>damos_commit: everything user-set, including the watermarks' activation state.</summary>
    public static void CommitScheme(Damos dst, Damos src)
    {
        dst.Pattern = src.Pattern;
        dst.Action = src.Action;
        dst.ApplyIntervalUs = src.ApplyIntervalUs;
        CommitQuota(dst.Quota, src.Quota);
        dst.Wmarks = src.Wmarks.Clone();
        dst.TargetNid = src.TargetNid;
        dst.AgeOwner = src.AgeOwner;
        CommitDests(dst.MigrateDests, src.MigrateDests);
        CommitFilters(dst, src);
        dst.MaxNrSnapshots = src.MaxNrSnapshots;
        SetFiltersDefaultReject(dst);
    }

    /// <summary>damon_commit_schemes.</summary>
    public static void CommitSchemes(DamonContext dst, DamonContext src)
    {
        int i = 0;
        for (; i < dst.Schemes.Count && i < src.Schemes.Count; i++)
            CommitScheme(dst.Schemes[i], src.Schemes[i]);
        if (dst.Schemes.Count > i)
            dst.Schemes.RemoveRange(i, dst.Schemes.Count - i);
        for (; i < src.Schemes.Count; i++)
        {
            var s = new Damos(src.Schemes[i].Pattern, src.Schemes[i].Action);
            CommitScheme(s, src.Schemes[i]);
            AddScheme(dst, s);
        }
    }

    /// <summary>damon_add_scheme: append and schedule from now.</summary>
    public static void AddScheme(DamonContext ctx, Damos s)
    {
        ctx.Schemes.Add(s);
        SetNextApplySis(s, ctx);
    }

    private static void CommitByIndex<T>(List<T> dst, List<T> src, Action<T, T> commit, Func<T, T> create)
    {
        int i = 0;
        for (; i < dst.Count && i < src.Count; i++)
            commit(dst[i], src[i]);
        if (dst.Count > i)
            dst.RemoveRange(i, dst.Count - i);
        for (; i < src.Count; i++)
            dst.Add(create(src[i]));
    }
}
