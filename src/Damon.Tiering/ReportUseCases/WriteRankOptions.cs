namespace Damon.Tiering.ReportUseCases;

/// <summary>The live-migration use case's knobs (<see cref="WriteRankScenario"/>).</summary>
public sealed record WriteRankOptions
{
    public ulong Seed { get; init; } = 13;
    /// <summary>
    /// The processes, deliberately not in the order of their write rates, with write areas of sizes
    /// unrelated to that order, so neither pid nor area size ranks them.
    /// </summary>
    public IReadOnlyList<WriterSpec> Writers { get; init; } =
    [
        new("vm-a", 0.10, 16UL << 20),
        new("vm-b", 0.02, 16UL << 20),
        new("vm-c", 0.25, 64UL << 20),
        new("vm-d", 0.05, 8UL << 20),
    ];
    public ulong ReadBytes { get; init; } = 64UL << 20;
    public double ComputeNsPerAccess { get; init; } = 2;
    public ulong DurationUs { get; init; } = 3_000_000;
    /// <summary>Aggregations ending before this are not scored (regions still adapting).</summary>
    public ulong WarmupUs { get; init; } = 750_000;
    /// <summary>The page-fault primitive's <c>ClearStaleMarks</c> (docs/access-reports.md): on, a region counts only its current sampling page.</summary>
    public bool ClearStaleMarks { get; init; } = true;

    public void Validate()
    {
        if (Writers.Count < 2)
            throw new ArgumentException("write rank: at least two processes are needed to rank");
        if (Writers.Count > 16)
            throw new ArgumentException("write rank: at most 16 processes (one per CPU of the default machine)");
        if (WarmupUs >= DurationUs)
            throw new ArgumentException("write rank: the warm-up must be shorter than the run");
    }
}
