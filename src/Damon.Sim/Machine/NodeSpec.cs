namespace Damon.Sim.Machine;

/// <summary>
/// One NUMA node: its memory size, idle latencies as seen from its nearest socket, peak bandwidth
/// and memory tier (0 = fastest, as in /sys/devices/virtual/memory_tiering).
/// </summary>
public sealed record NodeSpec(
    int Id,
    ulong CapacityBytes,
    uint ReadLatencyNs,
    uint WriteLatencyNs,
    double BandwidthGBps,
    int Tier);
