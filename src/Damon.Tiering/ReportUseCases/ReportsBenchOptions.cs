namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// <c>damon bench reports</c>'s knobs: one seed and one length for the three use cases.
/// <see cref="DurationUs"/> is the simulated run of the write-rank and thread-attribution cases
/// (a quarter of it warm-up) and the placement case's work per thread measured in all-local time.
/// </summary>
public sealed record ReportsBenchOptions
{
    public const ulong DefaultDurationUs = 2_000_000;

    public ulong Seed { get; init; } = 13;
    public ulong DurationUs { get; init; } = DefaultDurationUs;

    public PlacementOptions Placement => new() { Seed = Seed, LocalWorkUs = DurationUs };
    public WriteRankOptions WriteRank => new() { Seed = Seed, DurationUs = DurationUs, WarmupUs = DurationUs / 4 };
    public ThreadAttributionOptions ThreadAttribution => new() { Seed = Seed, DurationUs = DurationUs, WarmupUs = DurationUs / 4 };

    public void Validate()
    {
        if (DurationUs < 400_000)
            throw new ArgumentException($"--duration {DurationUs / 1000} ms: at least 400 ms, so a quarter of warm-up leaves scored aggregations");
        Placement.Validate();
        WriteRank.Validate();
        ThreadAttribution.Validate();
    }
}
