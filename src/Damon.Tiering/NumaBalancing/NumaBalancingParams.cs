namespace Damon.Tiering.NumaBalancing;

/// <summary>
/// Knobs of NUMA balancing in memory-tiering mode (numa_balancing=2), tiering.md §2.3. Defaults are
/// the kernel's: hot threshold 1000 ms and promote rate limit 65536 MB/s [A], threshold adjusted
/// once per scan_period_max = 60 s [A], scan size 256 MB per scan period [R].
/// </summary>
public sealed record NumaBalancingParams
{
    /// <summary>sysctl_numa_balancing_scan_size: MiB of slow-tier pages made PROT_NONE per scan.</summary>
    public ulong ScanSizeMiB { get; init; } = 256;
    /// <summary>The scan period; the kernel adapts it between scan_period_min (1 s) and max (60 s) — kept at the minimum here.</summary>
    public ulong ScanPeriodMs { get; init; } = 1000;
    /// <summary>sysctl_numa_balancing_hot_threshold (MSEC_PER_SEC).</summary>
    public ulong HotThresholdMs { get; init; } = 1000;
    /// <summary>numa_balancing_promote_rate_limit_MBps.</summary>
    public ulong PromoteRateLimitMBps { get; init; } = 65536;
    /// <summary>How often the threshold is adjusted: sysctl_numa_balancing_scan_period_max.</summary>
    public ulong AdjustPeriodMs { get; init; } = 60_000;
    public bool AutoAdjustThreshold { get; init; } = true;
}
