namespace Damon.Core.Schemes;

/// <summary>damos_wmark_metric.</summary>
public enum DamosWmarkMetric
{
    None,
    /// <summary>Free memory per mille of total memory.</summary>
    FreeMemRate,
}

/// <summary>
/// damos_watermarks: the scheme is active while the metric is in [low, high]; once deactivated it
/// stays inactive until the metric falls below mid (hysteresis). Checked every interval_us.
/// </summary>
public sealed class DamosWatermarks
{
    public DamosWmarkMetric Metric { get; set; }
    public ulong IntervalUs { get; set; }
    public ulong High { get; set; }
    public ulong Mid { get; set; }
    public ulong Low { get; set; }
    /// <summary>Private in the kernel, but copied by commit.</summary>
    public bool Activated { get; set; } = true;

    public DamosWatermarks Clone() => (DamosWatermarks)MemberwiseClone();
}
