using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Tier;

/// <summary>
/// DAMON_TIER (the proposal's mm/damon/tier.c): on the biggest System RAM, a promote scheme
/// (migrate_hot to the fast node, tuned toward its used-memory goal) and a demote scheme
/// (migrate_cold to the slow node, tuned toward the fast node's free-memory goal), each applied
/// once a second (apply_interval_us) with half the size quota.
/// </summary>
public sealed class TierModule(TierParams parameters, IMemoryLayout layout, IDamonMetrics? metrics = null, ulong seed = 0)
    : PaddrModule<TierParams>(parameters, layout, metrics, seed)
{
    /// <summary>Promote stats (nr/bytes_promote_tried_regions, nr/bytes_promoted_regions, nr_promote_quota_exceeds).</summary>
    public ModuleSchemeStats PromoteStats { get; private set; } = ModuleSchemeStats.Zero;
    /// <summary>Demote stats (the demote_* equivalents).</summary>
    public ModuleSchemeStats DemoteStats { get; private set; } = ModuleSchemeStats.Zero;

    public IReadOnlyList<KeyValuePair<string, ulong>> NamedStats =>
    [
        .. PromoteStats.Named("promote_tried_regions", "promoted_regions", "promote_quota_exceeds"),
        .. DemoteStats.Named("demote_tried_regions", "demoted_regions", "demote_quota_exceeds"),
    ];

    /// <summary>damon_tier_new_scheme: half of quota_sz per direction.</summary>
    private static Damos NewScheme(TierParams p, DamosAccessPattern pattern, DamosAction action, int targetNid)
    {
        var quota = p.Quota.ToQuota(p.WeightSz, p.WeightNrAccesses, p.WeightAge);
        quota.Sz /= 2;
        quota.GoalTuner = p.GoalTuner;
        quota.FailChargeNum = p.FailChargeNum;
        quota.FailChargeDenom = p.FailChargeDenom;
        return new Damos(pattern, action, p.ApplyIntervalUs, quota, p.Wmarks.ToWatermarks(), targetNid);
    }

    /// <summary>damon_tier_new_promote_scheme: accessed at least once (promote_min_nr_accesses).</summary>
    public static Damos NewPromoteScheme(TierParams p)
        => NewScheme(p, new DamosAccessPattern(PageSize, ulong.MaxValue, p.PromoteMinNrAccesses, uint.MaxValue, 0, uint.MaxValue),
            DamosAction.MigrateHot, p.PromoteTargetNid);

    /// <summary>damon_tier_new_demote_scheme: not accessed at all.</summary>
    public static Damos NewDemoteScheme(TierParams p)
        => NewScheme(p, new DamosAccessPattern(PageSize, ulong.MaxValue, 0, 0, 0, uint.MaxValue),
            DamosAction.MigrateCold, p.DemoteTargetNid);

    /// <summary>damon_tier_apply_parameters, up to the commit. addr_unit and min_region_sz stay at their defaults.</summary>
    protected override void Build(DamonContext ctx, Target target)
    {
        var p = Params;
        DamonCore.SetAttrs(ctx, p.MonAttrs.ToAttrs());

        var promote = NewPromoteScheme(p);
        var demote = NewDemoteScheme(p);
        DamosCore.AddScheme(ctx, promote);
        DamosCore.AddScheme(ctx, demote);

        // damon_tier_add_quota_goals: both goals watch the fast (promote target) node.
        promote.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemUsedBp, p.PromoteTargetMemUsedBp) { Nid = p.PromoteTargetNid });
        demote.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemFreeBp, p.DemoteTargetMemFreeBp) { Nid = p.PromoteTargetNid });

        // damon_tier_add_filters: allow-young on promote makes everything else default-rejected.
        if (p.FilterYoungPages)
        {
            promote.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: true));
            demote.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: false));
        }

        SetRegion(ctx, target, p.MonitorRegionStart, p.MonitorRegionEnd, DefaultRegionRule.BiggestSystemRam,
            (q, s, e) => q with { MonitorRegionStart = s, MonitorRegionEnd = e });
    }

    /// <summary>damon_tier_damon_call_fn: stats by action.</summary>
    protected override void CopyStats(IReadOnlyList<Damos> schemes)
    {
        PromoteStats = ModuleSchemeStats.Of(schemes, DamosAction.MigrateHot);
        DemoteStats = ModuleSchemeStats.Of(schemes, DamosAction.MigrateCold);
    }
}
