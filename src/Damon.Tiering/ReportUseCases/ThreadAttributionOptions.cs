namespace Damon.Tiering.ReportUseCases;

/// <summary>The cache-aware-scheduling use case's knobs (<see cref="ThreadAttributionScenario"/>).</summary>
public sealed record ThreadAttributionOptions
{
    public ulong Seed { get; init; } = 13;
    public int NrThreads { get; init; } = 4;
    public ulong HotBytes { get; init; } = 8UL << 20;
    public ulong ColdBytes { get; init; } = 128UL << 20;
    public double HotShare { get; init; } = 0.98;
    public double WriteShare { get; init; } = 0.3;
    public double ComputeNsPerAccess { get; init; } = 2;
    public ulong DurationUs { get; init; } = 3_000_000;
    /// <summary>Aggregations ending before this are not scored (regions still adapting).</summary>
    public ulong WarmupUs { get; init; } = 750_000;
    /// <summary>A region is hot for a thread when its context counts at least this many accesses per aggregation (of 20 samples).</summary>
    public uint HotMinNrAccesses { get; init; } = 10;
    /// <summary>
    /// The contexts' min_nr_regions (max_nr_regions stays 1000). 100 rather than the default 10:
    /// a region that straddles a thread's hot range and memory it never touches counts every
    /// sample in that thread's context (any context's protected page in the hot part reports the
    /// thread), so precision is bounded by how finely regions are split; with 10, 0.915 at 2 s.
    /// </summary>
    public ulong MinNrRegions { get; init; } = 100;
    /// <summary>The page-fault primitive's <c>ClearStaleMarks</c> (docs/access-reports.md).</summary>
    public bool ClearStaleMarks { get; init; } = true;

    public void Validate()
    {
        if (NrThreads < 1 || NrThreads > 16)
            throw new ArgumentException("thread attribution: 1 to 16 threads (one per CPU of the default machine)");
        if (WarmupUs >= DurationUs)
            throw new ArgumentException("thread attribution: the warm-up must be shorter than the run");
    }
}
