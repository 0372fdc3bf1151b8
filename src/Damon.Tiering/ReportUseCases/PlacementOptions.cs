namespace Damon.Tiering.ReportUseCases;

/// <summary>The NUMA-placement use case's knobs (<see cref="PlacementScenario"/>).</summary>
public sealed record PlacementOptions
{
    public ulong Seed { get; init; } = 13;
    public int ThreadsPerSocket { get; init; } = 2;
    public int CpusPerSocket { get; init; } = 2;
    /// <summary>Size of region A and of region B.</summary>
    public ulong RegionBytes { get; init; } = 64UL << 20;
    /// <summary>Share of a thread's accesses that go to its own socket's region: the best reachable remote ratio is 1 minus this.</summary>
    public double OwnShare { get; init; } = 0.97;
    public double WriteShare { get; init; } = 0.3;
    public double ComputeNsPerAccess { get; init; } = 2;
    /// <summary>
    /// The work per thread, as the simulated time it takes with all its memory local: each thread
    /// makes this divided by (compute + local DRAM latency) accesses.
    /// </summary>
    public ulong LocalWorkUs { get; init; } = 2_000_000;
    /// <summary>DAMON's schemes: migrate_hot for regions with at least this many accesses per aggregation (of 20 samples).</summary>
    public uint HotMinNrAccesses { get; init; } = 10;
    /// <summary>... and at least this age (aggregation intervals with a steady access count).</summary>
    public uint HotMinAge { get; init; }
    /// <summary>The page-fault primitive's <c>ClearStaleMarks</c> (docs/access-reports.md).</summary>
    public bool ClearStaleMarks { get; init; } = true;

    public void Validate()
    {
        if (ThreadsPerSocket < 1 || CpusPerSocket < 1)
            throw new ArgumentException("placement: a socket needs at least one CPU and one thread");
        if (RegionBytes == 0 || RegionBytes % (2UL << 20) != 0)
            throw new ArgumentException("placement: the region size must be a positive multiple of 2 MiB");
        if (LocalWorkUs == 0)
            throw new ArgumentException("placement: the work must be more than 0");
    }
}
