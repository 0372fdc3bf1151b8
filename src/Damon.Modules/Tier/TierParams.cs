using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Tier;

/// <summary>
/// DAMON_TIER's parameters (<c>damon_tier.*</c>, the proposal's mm/damon/tier.c), with its
/// defaults: promote hot pages to the fast node and demote cold pages to the slow node, tuning
/// each direction's quota toward a fast-node utilisation.
/// </summary>
public sealed record TierParams : IModuleParams<TierParams>
{
    /// <summary><c>enabled</c>: whether the module should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary>
    /// <c>promote_target_nid</c>: NUMA node id of the fast tier; hot pages are migrated to it and
    /// its utilisation is what the quota goals watch. 0 by default.
    /// </summary>
    public int PromoteTargetNid { get; init; }
    /// <summary><c>demote_target_nid</c>: NUMA node id of the slow tier cold pages are migrated to; 1 by default.</summary>
    public int DemoteTargetNid { get; init; } = 1;
    /// <summary>
    /// <c>promote_target_mem_used_bp</c>: desired used memory of the fast node, in basis points,
    /// the promotion quota is tuned toward; 9,960 (99.6%) by default.
    /// </summary>
    public ulong PromoteTargetMemUsedBp { get; init; } = 9960;
    /// <summary>
    /// <c>demote_target_mem_free_bp</c>: desired free memory of the fast node, in basis points,
    /// the demotion quota is tuned toward; 40 (0.4%) by default.
    /// </summary>
    public ulong DemoteTargetMemFreeBp { get; init; } = 40;
    /// <summary>
    /// <c>quota_ms</c> (0, no time limit), <c>quota_sz</c> (200 MiB) and
    /// <c>quota_reset_interval_ms</c> (1,000 ms) by default; each direction gets half of
    /// <c>quota_sz</c>.
    /// </summary>
    public ModuleQuota Quota { get; init; } = new() { Ms = 0, Sz = 200UL << 20, ResetIntervalMs = 1000 };
    /// <summary>
    /// <c>promote_min_nr_accesses</c>: the promote scheme's minimum nr_accesses per aggregation;
    /// 1 by default (fixed in tier.c: "accessed at least once"). An extension.
    /// </summary>
    public uint PromoteMinNrAccesses { get; init; } = 1;
    /// <summary>
    /// <c>goal_tuner</c>: how both schemes' quota goals tune the effective quota, numbered as
    /// damos_quota_goal_tuner: 0 consist (the default, tier.c's only behaviour), 1 temporal.
    /// An extension: the proposal predates the tuners (docs/kernel-differences.md).
    /// </summary>
    public DamosQuotaGoalTuner GoalTuner { get; init; }
    /// <summary>
    /// <c>apply_interval_us</c>: how often both schemes are applied; 1,000,000 by default (fixed
    /// in tier.c); 0 means every aggregation interval, as for any scheme. An extension.
    /// </summary>
    public ulong ApplyIntervalUs { get; init; } = 1_000_000;
    /// <summary>
    /// <c>fail_charge_num</c> / <c>fail_charge_denom</c>: the share of a region's bytes the action
    /// did not apply (young-filtered, already on the target node) that is still charged to the
    /// quota; 0 / 0 by default (charge everything, as tier.c). An extension.
    /// </summary>
    public ulong FailChargeNum { get; init; }
    /// <summary><c>fail_charge_denom</c>: see <see cref="FailChargeNum"/>; 0 means charge the whole region.</summary>
    public ulong FailChargeDenom { get; init; }
    /// <summary>
    /// <c>weight_sz</c>: quota prioritisation weight of region size; 0 by default. tier.c fixes
    /// the weights in its quota; they are parameters here so experiments can vary them.
    /// </summary>
    public uint WeightSz { get; init; }
    /// <summary><c>weight_nr_accesses</c>: prioritisation weight of access frequency; 100 by default (fixed in tier.c).</summary>
    public uint WeightNrAccesses { get; init; } = 100;
    /// <summary><c>weight_age</c>: prioritisation weight of age; 100 by default (fixed in tier.c).</summary>
    public uint WeightAge { get; init; } = 100;
    /// <summary>
    /// <c>filter_young_pages</c>: promote only young pages and never demote young pages (the
    /// young filters tier.c always adds); Y by default. N drops both filters.
    /// </summary>
    public bool FilterYoungPages { get; init; } = true;
    /// <summary>
    /// <c>wmarks_interval</c> (5,000,000 us), <c>wmarks_high</c> (200 per mille),
    /// <c>wmarks_mid</c> (150), <c>wmarks_low</c> (50) by default.
    /// </summary>
    public ModuleWatermarks Wmarks { get; init; } = new() { IntervalUs = 5_000_000, High = 200, Mid = 150, Low = 50 };
    /// <summary>
    /// <c>sample_interval</c> (5,000 us), <c>aggr_interval</c> (100,000 us),
    /// <c>min_nr_regions</c> (10), <c>max_nr_regions</c> (1,000) by default.
    /// </summary>
    public ModuleMonitoringAttrs MonAttrs { get; init; } = new();
    /// <summary>
    /// <c>monitor_region_start</c>: start of the physical region to monitor; 0 with
    /// <see cref="MonitorRegionEnd"/> 0, the default, means the biggest System RAM resource.
    /// </summary>
    public ulong MonitorRegionStart { get; init; }
    /// <summary><c>monitor_region_end</c>: end (exclusive) of the region; 0 by default (see start).</summary>
    public ulong MonitorRegionEnd { get; init; }

    public static string ModuleName => "damon_tier";
    public static TierParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<TierParams>> Params { get; } =
    [
        ModuleParam<TierParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<TierParams>.Int("promote_target_nid", p => p.PromoteTargetNid, (p, v) => p with { PromoteTargetNid = v }),
        ModuleParam<TierParams>.Int("demote_target_nid", p => p.DemoteTargetNid, (p, v) => p with { DemoteTargetNid = v }),
        ModuleParam<TierParams>.ULong("promote_target_mem_used_bp", p => p.PromoteTargetMemUsedBp, (p, v) => p with { PromoteTargetMemUsedBp = v }),
        ModuleParam<TierParams>.ULong("demote_target_mem_free_bp", p => p.DemoteTargetMemFreeBp, (p, v) => p with { DemoteTargetMemFreeBp = v }),
        .. ModuleQuota.Params<TierParams>(p => p.Quota, (p, v) => p with { Quota = v }),
        ModuleParam<TierParams>.ULong("promote_min_nr_accesses", p => p.PromoteMinNrAccesses, (p, v) => p with { PromoteMinNrAccesses = checked((uint)v) }),
        ModuleParam<TierParams>.ULong("goal_tuner", p => (ulong)p.GoalTuner, (p, v) => p with { GoalTuner = ToGoalTuner(v) }),
        ModuleParam<TierParams>.ULong("apply_interval_us", p => p.ApplyIntervalUs, (p, v) => p with { ApplyIntervalUs = v }),
        ModuleParam<TierParams>.ULong("fail_charge_num", p => p.FailChargeNum, (p, v) => p with { FailChargeNum = v }),
        ModuleParam<TierParams>.ULong("fail_charge_denom", p => p.FailChargeDenom, (p, v) => p with { FailChargeDenom = v }),
        ModuleParam<TierParams>.ULong("weight_sz", p => p.WeightSz, (p, v) => p with { WeightSz = checked((uint)v) }),
        ModuleParam<TierParams>.ULong("weight_nr_accesses", p => p.WeightNrAccesses, (p, v) => p with { WeightNrAccesses = checked((uint)v) }),
        ModuleParam<TierParams>.ULong("weight_age", p => p.WeightAge, (p, v) => p with { WeightAge = checked((uint)v) }),
        ModuleParam<TierParams>.Bool("filter_young_pages", p => p.FilterYoungPages, (p, v) => p with { FilterYoungPages = v }),
        .. ModuleWatermarks.Params<TierParams>(p => p.Wmarks, (p, v) => p with { Wmarks = v }),
        .. ModuleMonitoringAttrs.Params<TierParams>(p => p.MonAttrs, (p, v) => p with { MonAttrs = v }),
        ModuleParam<TierParams>.ULong("monitor_region_start", p => p.MonitorRegionStart, (p, v) => p with { MonitorRegionStart = v }),
        ModuleParam<TierParams>.ULong("monitor_region_end", p => p.MonitorRegionEnd, (p, v) => p with { MonitorRegionEnd = v }),
    ];

    private static DamosQuotaGoalTuner ToGoalTuner(ulong v) => v switch
    {
        0 => DamosQuotaGoalTuner.Consist,
        1 => DamosQuotaGoalTuner.Temporal,
        _ => throw new ModuleParamException("goal_tuner", $"must be 0 (consist) or 1 (temporal), not {v}"),
    };

    public void Validate()
    {
        MonAttrs.Validate();
        if (!Enum.IsDefined(GoalTuner))
            throw new ModuleParamException("goal_tuner", $"must be 0 (consist) or 1 (temporal), not {(ulong)GoalTuner}");
        if (MonitorRegionStart > MonitorRegionEnd)
            throw new ModuleParamException("monitor_region_start", $"must not exceed monitor_region_end ({MonitorRegionStart} > {MonitorRegionEnd})");
    }
}
