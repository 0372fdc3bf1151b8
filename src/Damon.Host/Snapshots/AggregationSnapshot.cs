using Damon.Core.Monitoring;

namespace Damon.Host.Snapshots;

/// <summary>One region as DAMON reported it at an aggregation boundary, in real (byte) addresses.</summary>
public readonly record struct RegionRow(ulong Start, ulong End, uint NrAccesses, uint Age)
{
    public ulong Size => End - Start;

    /// <summary>
    /// Who made the counted accesses (per CPU, per thread, writes and reads), when the context folds
    /// access reports (the page_fault primitive); null otherwise, and from backends that cannot tell
    /// (the kernel's DAMON keeps no breakdown).
    /// </summary>
    public Damon.Core.Sampling.AccessBreakdownCounts? AccessesBy { get; init; }
}

/// <summary>One target's regions at an aggregation boundary; <see cref="Pid"/> is null for physical memory.</summary>
public sealed record TargetSnapshot(int TargetIdx, int? Pid, IReadOnlyList<RegionRow> Regions);

/// <summary>
/// A context's regions at the end of an aggregation interval (the damon_aggregated moment, before
/// the reset), copied out so they can be printed or recorded later. <see cref="TimeUs"/> is on
/// the backend's clock; nr_accesses are in samples, age in aggregation intervals of <see cref="Attrs"/>.
/// </summary>
public sealed record AggregationSnapshot(BackendContext Context, ulong TimeUs, MonitoringAttrs Attrs, IReadOnlyList<TargetSnapshot> Targets)
{
    /// <summary>nr_accesses of a region accessed at every sample of the window.</summary>
    public uint MaxNrAccesses => Math.Max(DamonCore.NrSamplesPerAggr(Attrs), 1);
}
