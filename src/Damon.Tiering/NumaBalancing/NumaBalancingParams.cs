namespace Damon.Tiering.NumaBalancing;

/// <summary>
/// Knobs of NUMA balancing in memory-tiering mode (numa_balancing=2), as kernel/sched/fair.c
/// defines them: hot threshold 1000 ms, promote rate limit 65536 MB/s, scan size 256 MB, scan
/// delay 1000 ms, scan period between 1 s and 60 s (sysctl_numa_balancing_scan_period_min/max).
/// </summary>
public sealed record NumaBalancingParams
{
    /// <summary>sysctl_numa_balancing_scan_size: MiB of address space made PROT_NONE per scan.</summary>
    public ulong ScanSizeMiB { get; init; } = 256;
    /// <summary>sysctl_numa_balancing_scan_delay: the first scan comes this long after the process starts.</summary>
    public ulong ScanDelayMs { get; init; } = 1000;
    /// <summary>sysctl_numa_balancing_scan_period_min: time to scan the whole RSS at the fastest rate.</summary>
    public ulong ScanPeriodMinMs { get; init; } = 1000;
    /// <summary>sysctl_numa_balancing_scan_period_max; also the hot threshold's adjustment period.</summary>
    public ulong ScanPeriodMaxMs { get; init; } = 60_000;
    /// <summary>sysctl_numa_balancing_hot_threshold (MSEC_PER_SEC).</summary>
    public ulong HotThresholdMs { get; init; } = 1000;
    /// <summary>numa_balancing_promote_rate_limit_MBps.</summary>
    public ulong PromoteRateLimitMBps { get; init; } = 65536;
    /// <summary>How often the threshold is adjusted: sysctl_numa_balancing_scan_period_max unless set apart (tests).</summary>
    public ulong? AdjustPeriodMs { get; init; }
    public bool AutoAdjustThreshold { get; init; } = true;

    internal ulong ThresholdPeriodMs => AdjustPeriodMs ?? ScanPeriodMaxMs;
}
