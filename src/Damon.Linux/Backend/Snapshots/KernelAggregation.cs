namespace Damon.Linux.Backend.Snapshots;

/// <summary>
/// One region as the kernel's tried_regions directory reports it (start, end, nr_accesses, age).
/// nr_accesses is nr_accesses_bp / 10000 at the scheme's apply: with the apply interval equal to
/// the aggregation interval, the count of the whole aggregation window, in sample intervals.
/// </summary>
public readonly record struct KernelRegion(ulong Start, ulong End, uint NrAccesses, uint Age)
{
    public ulong Size => End - Start;
}

/// <summary>
/// The kernel's monitoring results at one aggregation: each target's regions, in the context's
/// target order, and the monotonic time (ns) the snapshot was taken at. Targets the kernel no
/// longer monitors (an exited process) have no regions.
/// </summary>
public sealed record KernelAggregation(ulong TimeNs, IReadOnlyList<IReadOnlyList<KernelRegion>> Targets)
{
    public ulong TotalBytes()
    {
        ulong sz = 0;
        foreach (var t in Targets)
            foreach (var r in t)
                sz += r.Size;
        return sz;
    }
}
