namespace Damon.Sim.Bench;

/// <summary>
/// Byte sums of a hot-set score over the scored windows (micro-averaged): recall is
/// correct/true, precision correct/predicted, null when its denominator is 0.
/// </summary>
public sealed record HotSetTotals(ulong TrueHotBytes, ulong PredictedHotBytes, ulong CorrectBytes)
{
    public double? Recall => TrueHotBytes == 0 ? null : (double)CorrectBytes / TrueHotBytes;
    public double? Precision => PredictedHotBytes == 0 ? null : (double)CorrectBytes / PredictedHotBytes;

    public HotSetTotals Add(ulong trueHot, ulong predicted, ulong correct) =>
        new(TrueHotBytes + trueHot, PredictedHotBytes + predicted, CorrectBytes + correct);
}

/// <summary>One footprint monitored in one mode.</summary>
public sealed record AccuracyCaseResult
{
    public required ulong FootprintBytes { get; init; }
    public required AccuracyMode Mode { get; init; }
    public HotSetMotion Motion { get; init; } = HotSetMotion.Stable;
    /// <summary>
    /// Moving hot set: seconds from the move to the end of the first window ending after it whose
    /// recall of the new hot region is at least the options' ReactionRecall; null if none did
    /// (or the hot set is stable).
    /// </summary>
    public double? ReactionS { get; init; }
    /// <summary>Moving hot set: how long after the move the run watched (a null reaction means "longer than this").</summary>
    public double? ReactionLimitS { get; init; }
    public required ulong HotBytes { get; init; }
    /// <summary>Scored against the workload's hot region (what the published numbers measure).</summary>
    public required HotSetTotals Design { get; init; }
    /// <summary>Scored against the pages ground truth saw accessed in the same window.</summary>
    public required HotSetTotals Window { get; init; }
    /// <summary>Size-weighted mean |nr_accesses − expected| / samples, over the ground-truth windows.</summary>
    public required double? RateError { get; init; }
    public required int NrWindows { get; init; }
    public required int NrGroundTruthWindows { get; init; }
    public required double MeanNrRegions { get; init; }
    /// <summary>Sampling and aggregation intervals at the end of the run (tuning moves them).</summary>
    public required ulong SampleIntervalUs { get; init; }
    public required ulong AggrIntervalUs { get; init; }
    /// <summary>Simulated time the workload and DAMON ran (warm-up plus scoring).</summary>
    public required double SimulatedS { get; init; }
    /// <summary>Workload accesses per simulated second.</summary>
    public required double AccessesPerSimS { get; init; }
    /// <summary>CPU time in the kdamond steps (sampling, aggregation, split/merge, tuning) per simulated second.</summary>
    public required double EngineMsPerSimS { get; init; }
    /// <summary>CPU time running the workload on the machine per simulated second.</summary>
    public required double MachineMsPerSimS { get; init; }
    /// <summary>Which clock the two above read: "thread_cputime" (this thread's CPU time) or "wall".</summary>
    public required string CpuClock { get; init; }
    /// <summary>Wall time of the whole case: populate, run, scoring.</summary>
    public required double WallS { get; init; }
    public required double PopulateWallS { get; init; }
    /// <summary>Time (on <see cref="CpuClock"/>) the benchmark spent closing and scoring windows, excluded from the engine's.</summary>
    public required double ScoringS { get; init; }
}
