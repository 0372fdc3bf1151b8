namespace Damon.Tiering.HeMem;

/// <summary>
/// HeMem's artifact defaults (tiering.md §2.5 [A]): PEBS sample period 19,997 events, hot threshold
/// 4 sampled accesses, cooling threshold 10, policy thread every 10 ms. The "10 GB migrate rate"
/// constant's semantics are unchecked (§3.2); it is read here as 10 GB/s of background copying.
/// </summary>
public sealed record HeMemParams
{
    public ulong SamplePeriod { get; init; } = 19_997;
    public uint HotThreshold { get; init; } = 4;
    public uint CoolingThreshold { get; init; } = 10;
    public ulong PolicyIntervalMs { get; init; } = 10;
    /// <summary>How often the sampled events are collected from the ground truth (the PEBS buffer drain).</summary>
    public ulong SampleDrainMs { get; init; } = 100;
    public double MigrateGBps { get; init; } = 10;
}
