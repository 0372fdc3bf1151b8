namespace Damon.Core.Schemes;

/// <summary>
/// damos_access_pattern: all bounds inclusive. Sizes in bytes (core address units for paddr),
/// nr_accesses in samples per aggregation window, age in aggregation intervals.
/// </summary>
public readonly record struct DamosAccessPattern(
    ulong MinSzRegion,
    ulong MaxSzRegion,
    uint MinNrAccesses,
    uint MaxNrAccesses,
    uint MinAgeRegion,
    uint MaxAgeRegion)
{
    /// <summary>Matches every region.</summary>
    public static DamosAccessPattern Any { get; } = new(0, ulong.MaxValue, 0, uint.MaxValue, 0, uint.MaxValue);
}
