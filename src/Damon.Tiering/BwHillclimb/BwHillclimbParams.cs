namespace Damon.Tiering.BwHillclimb;

/// <param name="SampleUs">How often the application's throughput is sampled (damo auto_tier: 1 s).</param>
/// <param name="AdjustUs">How often the DRAM:CXL ratio changes (damo auto_tier: 10 s).</param>
/// <param name="Steps">The ratio's resolution: the slow node's share moves in 1/Steps.</param>
/// <param name="StepSize">Shares of 1/Steps one adjustment moves.</param>
/// <param name="MaxSlowSteps">The largest slow share, in 1/Steps.</param>
/// <param name="MoveBytesPerTick">Migration budget per 100 ms tick (200 MiB/s, the mtier sample's quota).</param>
public sealed record BwHillclimbParams(
    ulong SampleUs = 1_000_000,
    ulong AdjustUs = 10_000_000,
    uint Steps = 16,
    uint StepSize = 2,
    uint MaxSlowSteps = 8,
    ulong MoveBytesPerTick = 20UL << 20);
