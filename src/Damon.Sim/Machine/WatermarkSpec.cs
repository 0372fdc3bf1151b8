namespace Damon.Sim.Machine;

/// <summary>
/// Per-node zone watermarks, per mille of the node's capacity: allocations below "low" wake kswapd,
/// which reclaims until "high"; below "min" the allocating thread reclaims directly.
/// </summary>
public sealed record WatermarkSpec(uint MinPermil = 5, uint LowPermil = 10, uint HighPermil = 15);
