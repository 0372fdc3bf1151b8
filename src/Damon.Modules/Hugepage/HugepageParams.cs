using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Hugepage;

/// <summary>
/// Parameters of the damos_hugepage-style module (<c>damon_hugepage.*</c>; no such module is in
/// any kernel tree — it follows the 2026 prototype as the DAMON update describes it): collapse hot
/// regions of a process into THPs, with the queued <c>hugepage_mem_bp</c> goal bounding how much
/// of used memory huge pages may map, and give cold regions' THPs back (<c>nohugepage</c>, which
/// the operations set may make split or move out the huge pages already mapped).
/// </summary>
public sealed record HugepageParams : IModuleParams<HugepageParams>
{
    /// <summary><c>enabled</c>: whether the module should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary><c>target_pid</c>: the process to work on; 0 (none) by default.</summary>
    public int TargetPid { get; init; }
    /// <summary>
    /// <c>hot_thres_access_freq</c>: access frequency, per mille of the maximum, at or above which
    /// a region is hot and collapsed; 500 by default (LRU_SORT's).
    /// </summary>
    public ulong HotThresAccessFreq { get; init; } = 500;
    /// <summary><c>cold_min_age</c>: µs a region must go unaccessed to be cold; 5,000,000 by default.</summary>
    public ulong ColdMinAgeUs { get; init; } = 5_000_000;
    /// <summary>
    /// <c>hugepage_mem_bp</c>: target share of used memory mapped by THPs, in bp, the collapse
    /// quota is tuned toward; 0 (no goal: the size quota alone) by default.
    /// </summary>
    public ulong HugepageMemBp { get; init; }
    /// <summary><c>goal_tuner</c>: 0 consist (the default), 1 temporal.</summary>
    public ulong GoalTuner { get; init; }
    /// <summary><c>split_cold</c>: install the cold scheme (nohugepage on cold regions); Y by default.</summary>
    public bool SplitCold { get; init; } = true;
    /// <summary><c>collapse_hot</c>: install the hot scheme (collapse); Y by default.</summary>
    public bool CollapseHot { get; init; } = true;
    /// <summary>
    /// <c>split_underused</c>: install the underused scheme, <c>nohugepage</c> on regions DAMON
    /// sees accessed, for an operations set that then gives back only underused THPs (the
    /// deferred-split shrinker's thp_underused test), hot or not; N by default.
    /// </summary>
    public bool SplitUnderused { get; init; }
    /// <summary>
    /// <c>quota_ms</c> (0), <c>quota_sz</c> (64 MiB) and <c>quota_reset_interval_ms</c> (1,000 ms)
    /// by default, each scheme's own. Collapse copies 2 MiB per block, so the size quota is what
    /// bounds its cost.
    /// </summary>
    public ModuleQuota Quota { get; init; } = new() { Ms = 0, Sz = 64UL << 20, ResetIntervalMs = 1000 };
    /// <summary>
    /// <c>cold_quota_sz</c>: the cold scheme's size quota per reset interval; 1 GiB by default.
    /// Giving a THP back copies at most its used subpages, so it may go faster than collapse.
    /// </summary>
    public ulong ColdQuotaSz { get; init; } = 1UL << 30;
    /// <summary>Monitoring attributes; the modules' defaults (5 ms, 100 ms, 10 to 1,000 regions).</summary>
    public ModuleMonitoringAttrs MonAttrs { get; init; } = new();

    public DamosQuotaGoalTuner Tuner => (DamosQuotaGoalTuner)GoalTuner;

    public static string ModuleName => "damon_hugepage";
    public static HugepageParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<HugepageParams>> Params { get; } =
    [
        ModuleParam<HugepageParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<HugepageParams>.Int("target_pid", p => p.TargetPid, (p, v) => p with { TargetPid = v }),
        ModuleParam<HugepageParams>.ULong("hot_thres_access_freq", p => p.HotThresAccessFreq, (p, v) => p with { HotThresAccessFreq = v }),
        ModuleParam<HugepageParams>.ULong("cold_min_age", p => p.ColdMinAgeUs, (p, v) => p with { ColdMinAgeUs = v }),
        ModuleParam<HugepageParams>.ULong("hugepage_mem_bp", p => p.HugepageMemBp, (p, v) => p with { HugepageMemBp = v }),
        ModuleParam<HugepageParams>.ULong("goal_tuner", p => p.GoalTuner, (p, v) => p with { GoalTuner = v }),
        ModuleParam<HugepageParams>.Bool("split_cold", p => p.SplitCold, (p, v) => p with { SplitCold = v }),
        ModuleParam<HugepageParams>.Bool("collapse_hot", p => p.CollapseHot, (p, v) => p with { CollapseHot = v }),
        ModuleParam<HugepageParams>.Bool("split_underused", p => p.SplitUnderused, (p, v) => p with { SplitUnderused = v }),
        .. ModuleQuota.Params<HugepageParams>(p => p.Quota, (p, v) => p with { Quota = v }),
        ModuleParam<HugepageParams>.ULong("cold_quota_sz", p => p.ColdQuotaSz, (p, v) => p with { ColdQuotaSz = v }),
        .. ModuleMonitoringAttrs.Params<HugepageParams>(p => p.MonAttrs, (p, v) => p with { MonAttrs = v }),
    ];

    public void Validate()
    {
        if (TargetPid <= 0)
            throw new ModuleParamException("target_pid", $"must name a process (is {TargetPid})");
        if (GoalTuner > 1)
            throw new ModuleParamException("goal_tuner", $"must be 0 (consist) or 1 (temporal) (is {GoalTuner})");
        if (HotThresAccessFreq > 1000)
            throw new ModuleParamException("hot_thres_access_freq", $"is per mille, at most 1000 (is {HotThresAccessFreq})");
        if (HugepageMemBp > 10000)
            throw new ModuleParamException("hugepage_mem_bp", $"is in basis points, at most 10000 (is {HugepageMemBp})");
        if (MonAttrs.SampleIntervalUs == 0)
            throw new ModuleParamException("sample_interval", "must not be 0");
        MonAttrs.Validate();
    }
}
