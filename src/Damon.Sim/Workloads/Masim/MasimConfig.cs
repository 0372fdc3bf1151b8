namespace Damon.Sim.Workloads.Masim;

/// <summary>masim's <c>enum rw_mode</c>.</summary>
public enum MasimRwMode
{
    ReadOnly,
    WriteOnly,
    /// <summary>A read and then a write of the same byte (two accesses per masim access).</summary>
    ReadWrite,
}

/// <summary>A <c>struct mregion</c>: a named buffer, optionally filled from a file at start-up.</summary>
public sealed record MasimRegion(string Name, ulong SizeBytes, string? DataFile, int Line);

/// <summary>A <c>struct access</c>: how one phase touches one region, with a relative weight.</summary>
public sealed record MasimPattern(int RegionIndex, bool Random, ulong StrideBytes, int Probability, MasimRwMode RwMode, int Line);

/// <summary>A <c>struct phase</c>: patterns run for <see cref="TimeMs"/> milliseconds.</summary>
public sealed record MasimPhase(string Name, uint TimeMs, IReadOnlyList<MasimPattern> Patterns, int Line)
{
    public int TotalProbability { get; } = Patterns.Sum(p => p.Probability);
}

/// <summary>A parsed masim configuration file.</summary>
public sealed record MasimConfig(string Path, IReadOnlyList<MasimRegion> Regions, IReadOnlyList<MasimPhase> Phases)
{
    public ulong TotalSizeBytes => Regions.Aggregate(0UL, (s, r) => s + r.SizeBytes);

    public ulong TotalTimeMs => Phases.Aggregate(0UL, (s, p) => s + p.TimeMs);
}
