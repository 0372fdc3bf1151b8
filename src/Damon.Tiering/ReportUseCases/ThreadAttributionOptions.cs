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
    /// <summary>
    /// A region is hot for a thread when its context counts at least this many accesses per
    /// aggregation (of 20 samples). 15, not 10: a thread's own range reads 20, but every context's
    /// protected pages report to all contexts, so a cold region collects its thread's rare touches
    /// of other contexts' pages too and now and then reaches 10 (precision 0.915 at 2 s and 0.862
    /// at 8 s with 10; docs/access-reports.md, "Use cases").
    /// </summary>
    public uint HotMinNrAccesses { get; init; } = 15;
    /// <summary>The contexts' min_nr_regions (damon_new_ctx's 10 by default; max_nr_regions stays 1000).</summary>
    public ulong MinNrRegions { get; init; } = 10;
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
