using Damon.Modules.Common;

namespace Damon.Modules.Reclaim;

/// <summary>
/// DAMON_RECLAIM's parameters (<c>damon_reclaim.*</c>, mm/damon/reclaim.c), with the kernel's
/// defaults: page out memory regions that have not been accessed for <see cref="MinAgeUs"/>,
/// within a quota, while free memory is between the watermarks.
/// </summary>
public sealed record ReclaimParams : IModuleParams<ReclaimParams>
{
    /// <summary><c>enabled</c>: whether the module should run; N by default.</summary>
    public bool Enabled { get; init; }
    /// <summary>
    /// <c>min_age</c>: time, in microseconds, a region must have gone unaccessed to be reclaimed;
    /// 120,000,000 (120 seconds) by default.
    /// </summary>
    public ulong MinAgeUs { get; init; } = 120_000_000;
    /// <summary>
    /// <c>quota_ms</c> (10 ms), <c>quota_sz</c> (128 MiB) and <c>quota_reset_interval_ms</c>
    /// (1,000 ms) by default: use up to 10 ms and reclaim up to 128 MiB per second. Weights are
    /// fixed: size 0, access frequency 0, age 1 (older regions first).
    /// </summary>
    public ModuleQuota Quota { get; init; } = new() { Ms = 10, Sz = 128UL << 20, ResetIntervalMs = 1000 };
    /// <summary>
    /// <c>quota_mem_pressure_us</c>: desired "some" memory PSI stall, in microseconds per quota
    /// reset interval, the quota is tuned toward; 0 (disabled) by default.
    /// </summary>
    public ulong QuotaMemPressureUs { get; init; }
    /// <summary>
    /// <c>quota_autotune_feedback</c>: user feedback the quota is tuned to bring to 10,000; 0
    /// (disabled) by default.
    /// </summary>
    public ulong QuotaAutotuneFeedback { get; init; }
    /// <summary>
    /// <c>autotune_monitoring_intervals</c>: tune the sampling and aggregation intervals (5 ms to
    /// 10 s sampling, aiming at 0.4% observed accesses); N by default.
    /// </summary>
    public bool AutotuneMonitoringIntervals { get; init; }
    /// <summary>
    /// <c>wmarks_interval</c> (5,000,000 us), <c>wmarks_high</c> (500 per mille),
    /// <c>wmarks_mid</c> (400), <c>wmarks_low</c> (200) by default: reclaim while free memory is
    /// between 20% and 50%.
    /// </summary>
    public ModuleWatermarks Wmarks { get; init; } = new() { IntervalUs = 5_000_000, High = 500, Mid = 400, Low = 200 };
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
    /// <summary><c>skip_anon</c>: do not reclaim anonymous pages; N by default.</summary>
    public bool SkipAnon { get; init; }

    public static string ModuleName => "damon_reclaim";
    public static ReclaimParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<ReclaimParams>> Params { get; } =
    [
        ModuleParam<ReclaimParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
        ModuleParam<ReclaimParams>.ULong("min_age", p => p.MinAgeUs, (p, v) => p with { MinAgeUs = v }),
        .. ModuleQuota.Params<ReclaimParams>(p => p.Quota, (p, v) => p with { Quota = v }),
        ModuleParam<ReclaimParams>.ULong("quota_mem_pressure_us", p => p.QuotaMemPressureUs, (p, v) => p with { QuotaMemPressureUs = v }),
        ModuleParam<ReclaimParams>.ULong("quota_autotune_feedback", p => p.QuotaAutotuneFeedback, (p, v) => p with { QuotaAutotuneFeedback = v }),
        ModuleParam<ReclaimParams>.Bool("autotune_monitoring_intervals", p => p.AutotuneMonitoringIntervals, (p, v) => p with { AutotuneMonitoringIntervals = v }),
        .. ModuleWatermarks.Params<ReclaimParams>(p => p.Wmarks, (p, v) => p with { Wmarks = v }),
        .. ModuleMonitoringAttrs.Params<ReclaimParams>(p => p.MonAttrs, (p, v) => p with { MonAttrs = v }),
        ModuleParam<ReclaimParams>.ULong("monitor_region_start", p => p.MonitorRegionStart, (p, v) => p with { MonitorRegionStart = v }),
        ModuleParam<ReclaimParams>.ULong("monitor_region_end", p => p.MonitorRegionEnd, (p, v) => p with { MonitorRegionEnd = v }),
        ModuleParam<ReclaimParams>.ULong("addr_unit", p => p.AddrUnit, (p, v) => p with { AddrUnit = v }),
        ModuleParam<ReclaimParams>.Bool("skip_anon", p => p.SkipAnon, (p, v) => p with { SkipAnon = v }),
    ];

    public void Validate()
    {
        PaddrModule<ReclaimParams>.ValidateAddrUnit(AddrUnit);
        // damon_reclaim_apply_parameters divides min_age by it.
        if (MonAttrs.AggrIntervalUs == 0)
            throw new ModuleParamException("aggr_interval", "must not be 0");
        MonAttrs.Validate();
        if (MonitorRegionStart > MonitorRegionEnd)
            throw new ModuleParamException("monitor_region_start", $"must not exceed monitor_region_end ({MonitorRegionStart} > {MonitorRegionEnd})");
    }
}
