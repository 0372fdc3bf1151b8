namespace Damon.Tiering.HeMem;

/// <summary>
/// HeMem's artifact defaults (tiering.md §2.5 [A]): PEBS sample period 19,997 events, hot threshold
/// 4 sampled accesses, cooling threshold 10, policy thread every 10 ms. The "10 GB migrate rate"
/// (PEBS_KSWAPD_MIGRATE_RATE) is, in the artifact's pebs.c, a cap on the bytes one policy pass
/// promotes (10 GiB per 10 ms pass, demotions not counted): in effect no cap, the copy cost is.
/// </summary>
public sealed record HeMemParams
{
    public ulong SamplePeriod { get; init; } = 19_997;
    public uint HotThreshold { get; init; } = 4;
    public uint CoolingThreshold { get; init; } = 10;
    public ulong PolicyIntervalMs { get; init; } = 10;
    /// <summary>How often the sampled events are collected from the ground truth (the PEBS buffer drain).</summary>
    public ulong SampleDrainMs { get; init; } = 100;
    /// <summary>PEBS_KSWAPD_MIGRATE_RATE: bytes one policy pass may promote.</summary>
    public ulong MigrateBytesPerPass { get; init; } = 10UL << 30;
}
