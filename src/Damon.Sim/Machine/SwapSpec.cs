namespace Damon.Sim.Machine;

/// <summary>The swap device pageout writes anonymous pages to (an NVMe-class device by default).</summary>
public sealed record SwapSpec(
    ulong CapacityBytes = 64UL << 30,
    uint ReadLatencyNs = 20_000,
    uint WriteLatencyNs = 20_000);
