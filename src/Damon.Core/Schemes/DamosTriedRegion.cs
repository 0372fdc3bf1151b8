namespace Damon.Core.Schemes;

/// <summary>
/// damon_sysfs_scheme_region: one region a scheme tried, as the walk saw it when DAMOS handed it to
/// the operations set — after the quota cut and the core filters. <see cref="NrAccesses"/> is the
/// moving sum DAMOS matched it by (spec §3.10); <see cref="SzFilterPassed"/> the bytes the ops
/// filters let through.
/// </summary>
public readonly record struct DamosTriedRegion(ulong Start, ulong End, uint NrAccesses, uint Age, ulong SzFilterPassed)
{
    public ulong Size => End - Start;
}
