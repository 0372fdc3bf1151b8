using Damon.Modules.Common;

namespace Damon.Modules.LruSort;

/// <summary>
/// DAMON_LRU_SORT's parameters (<c>damon_lru_sort.*</c>, mm/damon/lru_sort.c), with the kernel's
/// defaults: mark hot regions accessed and cold regions unaccessed on the LRU lists, so reclaim
/// under pressure picks the right pages.
/// </summary>
public sealed record LruSortParams : IModuleParams<LruSortParams>
{
    /// <summary><c>enabled</c>: whether the module should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary>
    /// <c>active_mem_bp</c>: desired active to [in]active memory ratio in basis points the quotas
    /// are tuned toward; 0 (disabled) by default.
    /// </summary>
    public ulong ActiveMemBp { get; init; }
    /// <summary>
    /// <c>autotune_monitoring_intervals</c>: tune the sampling and aggregation intervals (5 ms to
    /// 10 s sampling, aiming at 0.4% observed accesses); N by default.
    /// </summary>
    public bool AutotuneMonitoringIntervals { get; init; }
    /// <summary>
    /// <c>filter_young_pages</c>: check page youngness again before acting, skipping not-young
    /// pages for prioritization and young pages for deprioritization; N by default.
    /// </summary>
    public bool FilterYoungPages { get; init; }
    /// <summary>
    /// <c>hot_thres_access_freq</c>: access frequency, in per mille of the maximum, at or above
    /// which a region is hot; 500 (50%) by default.
    /// </summary>
    public ulong HotThresAccessFreq { get; init; } = 500;
    /// <summary>
    /// <c>cold_min_age</c>: time, in microseconds, a region must have gone unaccessed to be cold;
    /// 120,000,000 (120 seconds) by default.
    /// </summary>
    public ulong ColdMinAgeUs { get; init; } = 120_000_000;
    /// <summary>
    /// <c>quota_ms</c> (10 ms) and <c>quota_reset_interval_ms</c> (1,000 ms) by default; each of
    /// the two schemes gets half the time. There is no size quota. Weights are fixed: size 0,
    /// access frequency 1, age 1.
    /// </summary>
    public ModuleQuota Quota { get; init; } = new() { Ms = 10, Sz = 0, ResetIntervalMs = 1000 };
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
    /// <c>monitor_region_start</c>: start of the physical region to work on (core address
    /// units); 0 with <see cref="MonitorRegionEnd"/> 0, the default, means from the first to the
    /// last System RAM.
    /// </summary>
    public ulong MonitorRegionStart { get; init; }
    /// <summary><c>monitor_region_end</c>: end (exclusive) of the region; 0 by default (see start).</summary>
    public ulong MonitorRegionEnd { get; init; }
    /// <summary><c>addr_unit</c>: bytes per core address unit; 1 by default; must not be 0.</summary>
    public ulong AddrUnit { get; init; } = 1;

    public static string ModuleName => "damon_lru_sort";
    public static LruSortParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<LruSortParams>> Params { get; } =
    [
        ModuleParam<LruSortParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<LruSortParams>.ULong("active_mem_bp", p => p.ActiveMemBp, (p, v) => p with { ActiveMemBp = v }),
        ModuleParam<LruSortParams>.Bool("autotune_monitoring_intervals", p => p.AutotuneMonitoringIntervals, (p, v) => p with { AutotuneMonitoringIntervals = v }),
        ModuleParam<LruSortParams>.Bool("filter_young_pages", p => p.FilterYoungPages, (p, v) => p with { FilterYoungPages = v }),
        ModuleParam<LruSortParams>.ULong("hot_thres_access_freq", p => p.HotThresAccessFreq, (p, v) => p with { HotThresAccessFreq = v }),
        ModuleParam<LruSortParams>.ULong("cold_min_age", p => p.ColdMinAgeUs, (p, v) => p with { ColdMinAgeUs = v }),
        .. ModuleQuota.TimeParams<LruSortParams>(p => p.Quota, (p, v) => p with { Quota = v }),
        .. ModuleWatermarks.Params<LruSortParams>(p => p.Wmarks, (p, v) => p with { Wmarks = v }),
        .. ModuleMonitoringAttrs.Params<LruSortParams>(p => p.MonAttrs, (p, v) => p with { MonAttrs = v }),
        ModuleParam<LruSortParams>.ULong("monitor_region_start", p => p.MonitorRegionStart, (p, v) => p with { MonitorRegionStart = v }),
        ModuleParam<LruSortParams>.ULong("monitor_region_end", p => p.MonitorRegionEnd, (p, v) => p with { MonitorRegionEnd = v }),
        ModuleParam<LruSortParams>.ULong("addr_unit", p => p.AddrUnit, (p, v) => p with { AddrUnit = v }),
    ];

    public void Validate()
    {
        PaddrModule<LruSortParams>.ValidateAddrUnit(AddrUnit);
        // damon_lru_sort_apply_parameters divides by it for the maximum nr_accesses.
        if (MonAttrs.SampleIntervalUs == 0)
            throw new ModuleParamException("sample_interval", "must not be 0");
        MonAttrs.Validate();
        if (MonitorRegionStart > MonitorRegionEnd)
            throw new ModuleParamException("monitor_region_start", $"must not exceed monitor_region_end ({MonitorRegionStart} > {MonitorRegionEnd})");
    }
}
