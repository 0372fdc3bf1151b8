namespace Damon.Core.Monitoring;

/// <summary>
/// damon_intervals_goal: auto-tune the sampling interval so that the observed access ratio nears
/// <see cref="AccessBp"/>. Disabled when <see cref="Aggrs"/> is 0.
/// </summary>
public readonly record struct IntervalsGoal(uint AccessBp, uint Aggrs, ulong MinSampleUs, ulong MaxSampleUs);

/// <summary>
/// damon_attrs, with damon_new_ctx()'s defaults. Immutable: a change is a new value handed to
/// <see cref="DamonCore.SetAttrs"/>, which validates it and converts the running results.
/// </summary>
public sealed record MonitoringAttrs
{
    public ulong SampleIntervalUs { get; init; } = 5_000;
    public ulong AggrIntervalUs { get; init; } = 100_000;
    public ulong OpsUpdateIntervalUs { get; init; } = 60_000_000;
    public IntervalsGoal IntervalsGoal { get; init; }
    public ulong MinNrRegions { get; init; } = 10;
    public ulong MaxNrRegions { get; init; } = 1000;
    /// <summary>
    /// Private in the kernel: samples per aggregation at the time the attrs were set; kept across
    /// interval tuning so the aggregation/sampling ratio stays fixed. 0 means "fill in".
    /// </summary>
    public ulong AggrSamples { get; init; }
    /// <summary>
    /// damon_sample_control (access-reporting RFC; sysfs monitoring_attrs/sample/): the sampling
    /// primitive and sample filters. Validated at commit; changing only this never restarts the
    /// aggregation window.
    /// </summary>
    public Sampling.DamonSampleControl SampleControl { get; init; } = Sampling.DamonSampleControl.Default;

    public static MonitoringAttrs Default { get; } = new();
}
