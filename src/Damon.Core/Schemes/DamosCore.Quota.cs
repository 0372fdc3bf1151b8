using Damon.Core.Monitoring;
using Damon.Core.Util;

namespace Damon.Core.Schemes;

public static partial class DamosCore
{
    private const ulong PageSize = 4096;

    /// <summary>damos_quota_is_set (G2): any limit or goal configured, or an effective size computed.</summary>
    public static bool QuotaIsSet(DamosQuota q) => q.Esz != 0 || q.Sz != 0 || q.Ms != 0 || q.Goals.Count != 0;

    /// <summary>damos_quota_is_full (G2): nothing, or less than one minimum region, left to charge.</summary>
    public static bool QuotaIsFull(DamosQuota q, ulong minRegionSz)
    {
        if (!QuotaIsSet(q))
            return false;
        return q.ChargedSz >= q.Esz || q.Esz - q.ChargedSz < minRegionSz;
    }

    /// <summary>
    /// damos_charge_quota (G2): a region handed to the action is charged in full, unless a fail
    /// charge ratio is set, in which case bytes the action could not apply cost only that ratio.
    /// </summary>
    internal static void ChargeQuota(DamosQuota q, ulong szRegion, ulong szApplied)
    {
        if (q.FailChargeDenom == 0 || szApplied > szRegion)
            q.ChargedSz += szRegion;
        else
            q.ChargedSz += szApplied + KernelMath.MultFrac(szRegion - szApplied, q.FailChargeNum, q.FailChargeDenom);
    }

    /// <summary>damos_set_quota_goal_current_value: read the goal's metric now.</summary>
    internal static void SetQuotaGoalCurrentValue(DamonContext ctx, Damos s, DamosQuotaGoal goal)
    {
        var m = ctx.Metrics;
        switch (goal.Metric)
        {
            case DamosQuotaGoalMetric.UserInput:
                break; // set by the user
            case DamosQuotaGoalMetric.SomeMemPsiUs:
                ulong now = m?.SomeMemPsiTotalUs() ?? 0;
                goal.CurrentValue = now - goal.LastPsiTotal;
                goal.LastPsiTotal = now;
                break;
            case DamosQuotaGoalMetric.NodeMemUsedBp:
            case DamosQuotaGoalMetric.NodeMemFreeBp:
                bool used = goal.Metric == DamosQuotaGoalMetric.NodeMemUsedBp;
                if (m is null || !m.TryGetNodeMem(goal.Nid, out ulong total, out ulong free) || total == 0)
                    goal.CurrentValue = used ? 0UL : 10000UL;
                else
                    goal.CurrentValue = KernelMath.MultFrac(used ? total - free : free, 10000, total);
                break;
            case DamosQuotaGoalMetric.NodeMemcgUsedBp:
            case DamosQuotaGoalMetric.NodeMemcgFreeBp:
                bool memcgUsed = goal.Metric == DamosQuotaGoalMetric.NodeMemcgUsedBp;
                if (m is null || !m.TryGetNodeMem(goal.Nid, out ulong nodeTotal, out _) || nodeTotal == 0
                    || !m.TryGetMemcgNodeUsage(goal.MemcgId, goal.Nid, out ulong memcgBytes))
                {
                    goal.CurrentValue = memcgUsed ? 0UL : 10000UL;
                }
                else
                {
                    memcgBytes = Math.Min(memcgBytes, nodeTotal);
                    goal.CurrentValue = memcgUsed
                        ? KernelMath.MultFrac(memcgBytes, 10000, nodeTotal)
                        : KernelMath.MultFrac(nodeTotal - memcgBytes, 10000, nodeTotal);
                }
                break;
            case DamosQuotaGoalMetric.ActiveMemBp:
            case DamosQuotaGoalMetric.InactiveMemBp:
                ulong active = 0, inactive = 0;
                m?.GetLruSizes(out active, out inactive);
                ulong lru = active + inactive;
                ulong part = goal.Metric == DamosQuotaGoalMetric.ActiveMemBp ? active : inactive;
                goal.CurrentValue = lru == 0 ? 0 : KernelMath.MultFrac(part, 10000, lru);
                break;
            case DamosQuotaGoalMetric.NodeEligibleMemBp:
                goal.CurrentValue = NodeEligibleMemBp(ctx, s, goal.Nid);
                break;
            case DamosQuotaGoalMetric.HugepageMemBp:
                goal.CurrentValue = m is not null && m.TryGetHugepageMem(out ulong thp, out ulong total2, out ulong free2)
                    ? DamosQuotaGoalMetrics.HugepageMemBp(thp, total2, free2) : 0;
                break;
        }
    }

    /// <summary>
    /// node_eligible_mem_bp (damos_get_node_eligible_mem_bp): of the LRU-folio bytes of the regions
    /// matching the scheme's access pattern, the share on <paramref name="nid"/>. Both sums are
    /// damos_calc_eligible_bytes' walk, which the operations set knows how to make.
    /// </summary>
    private static ulong NodeEligibleMemBp(DamonContext ctx, Damos s, int nid)
    {
        if (ctx.Ops is null || ctx.Ops.Id != Operations.OperationsId.Paddr)
            return 0;
        ulong onNode = 0, total = 0;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                if (!PatternMatches(ctx, r, s))
                    continue;
                total += ctx.Ops.LruBytes(ctx, t, r);
                onNode += ctx.Ops.BytesOnNode(ctx, t, r, nid);
            }
        }
        return total == 0 ? 0 : KernelMath.MultFrac(onNode, 10000, total);
    }

    /// <summary>damos_quota_score: the highest goal achievement, in bp (least aggressive wins).</summary>
    internal static ulong QuotaScore(DamonContext ctx, Damos s)
    {
        ulong highest = 0;
        foreach (var goal in s.Quota.Goals)
        {
            SetQuotaGoalCurrentValue(ctx, s, goal);
            ulong score = goal.TargetValue == 0 ? ulong.MaxValue / 10000
                : KernelMath.MultFrac(goal.CurrentValue, 10000, goal.TargetValue);
            highest = Math.Max(highest, score);
        }
        return highest;
    }

    /// <summary>damos_set_effective_quota: the size the scheme may charge in the new window.</summary>
    internal static void SetEffectiveQuota(DamonContext ctx, Damos s)
    {
        var q = s.Quota;
        if (q.Ms == 0 && q.Goals.Count == 0)
        {
            q.Esz = q.Sz;
            return;
        }

        ulong esz = ulong.MaxValue;
        if (q.Goals.Count != 0)
        {
            ulong score = QuotaScore(ctx, s);
            if (q.GoalTuner == DamosQuotaGoalTuner.Consist)
                q.EszBp = DamonCore.FeedLoopNextInput(Math.Max(q.EszBp, 10000UL), score);
            else
                q.EszBp = score >= 10000 ? 0 : q.Sz != 0 ? SaturatingMul(q.Sz, 10000) : ulong.MaxValue;
            esz = q.EszBp / 10000;
        }

        if (q.Ms != 0)
        {
            // Bytes per millisecond the action achieved so far; a page per microsecond before any.
            ulong throughput = q.TotalChargedNs != 0
                ? KernelMath.MultFrac(q.TotalChargedSz, 1_000_000, q.TotalChargedNs)
                : PageSize * 1024;
            esz = Math.Min(SaturatingMul(throughput, q.Ms), esz);
            esz = Math.Max(ctx.MinRegionSz, esz);
        }

        if (q.Sz != 0 && q.Sz < esz)
            esz = q.Sz;
        q.Esz = esz;
    }

    private static ulong SaturatingMul(ulong a, ulong b)
    {
        UInt128 p = (UInt128)a * b;
        return p > ulong.MaxValue ? ulong.MaxValue : (ulong)p;
    }

    /// <summary>
    /// damos_adjust_quota: open a new charge window when the reset interval passed, and set
    /// min_score so that the best-scored regions fill the effective quota first.
    /// </summary>
    internal static void AdjustQuota(DamonContext ctx, Damos s)
    {
        var q = s.Quota;
        if (q.Ms == 0 && q.Sz == 0 && q.Goals.Count == 0)
            return;

        ulong now = ctx.Clock.NowNs;
        if (q.TotalChargedSz == 0 && !q.ChargedFromSet)
        {
            q.ChargedFromNs = now;
            q.ChargedFromSet = true;
            SetEffectiveQuota(ctx, s);
        }

        ulong resetNs = q.ResetIntervalMs * 1_000_000;
        if (now < q.ChargedFromNs || now - q.ChargedFromNs >= resetNs)
        {
            if (QuotaIsFull(q, ctx.MinRegionSz))
                s.Stat.QtExceeds++;
            q.TotalChargedSz += q.ChargedSz;
            q.ChargedFromNs = now;
            q.ChargedSz = 0;
            SetEffectiveQuota(ctx, s);
        }

        var ops = ctx.Ops;
        if (ops is null || !ops.Has(Operations.OpsCallbacks.GetSchemeScore))
            return;

        var hist = ctx.ScoreHistogram;
        Array.Clear(hist);
        int maxScore = 0;
        foreach (var t in ctx.Targets)
        {
            if (CoreFiltersRejectTarget(ctx, t, s))
                continue;
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                if (!PatternMatches(ctx, r, s))
                    continue;
                if (CoreFilterOut(ctx, t, r, s))
                    continue;
                int score = Math.Clamp(ops.GetSchemeScore(ctx, t, r, s), 0, DamosQuota.MaxScore);
                hist[score] += r.Size;
                maxScore = Math.Max(maxScore, score);
            }
        }

        ulong cumulated = 0;
        int minScore = maxScore;
        for (; ; minScore--)
        {
            cumulated += hist[minScore];
            if (cumulated >= q.Esz || minScore == 0)
                break;
        }
        q.MinScore = (uint)minScore;
    }

    /// <summary>
    /// damos_skip_charged_region: after a round stopped because the quota filled, the next rounds
    /// resume right after the last charged address instead of favouring the walk's start.
    /// </summary>
    internal static bool SkipChargedRegion(Target t, Region r, Damos s, ulong minRegionSz)
    {
        var q = s.Quota;
        if (q.ChargeTargetFrom is null)
            return false;
        if (t != q.ChargeTargetFrom)
            return true;
        if (t.IsLastRegion(r))
        {
            q.ChargeTargetFrom = null;
            q.ChargeAddrFrom = 0;
            return true;
        }
        if (q.ChargeAddrFrom != 0 && r.End <= q.ChargeAddrFrom)
            return true;
        if (q.ChargeAddrFrom != 0 && r.Start < q.ChargeAddrFrom)
        {
            ulong szToSkip = KernelMath.AlignDown(q.ChargeAddrFrom - r.Start, minRegionSz);
            if (szToSkip == 0)
            {
                if (r.Size <= minRegionSz)
                    return true;
                szToSkip = minRegionSz;
            }
            DamonCore.SplitRegionAt(t, r, szToSkip);
            return true; // the tail, which starts at the resume point, is visited next
        }
        q.ChargeTargetFrom = null;
        q.ChargeAddrFrom = 0;
        return false;
    }
}
