namespace Damon.Records.Model;

/// <summary>Goal-based sampling-interval auto-tuning settings carried in damo records.</summary>
public sealed record DamonIntervalsGoal(double AccessBp, long Aggrs, long MinSampleUs, long MaxSampleUs)
{
    public static DamonIntervalsGoal Disabled { get; } = new(0, 0, 0, 0);

    /// <summary>damo treats a goal with zero aggregations as switched off.</summary>
    public bool Enabled => Aggrs != 0;
}

/// <summary>Monitoring intervals of the context that produced a record.</summary>
public sealed record DamonIntervals(long SampleUs, long AggrUs, long OpsUpdateUs, DamonIntervalsGoal Goal)
{
    public DamonIntervals(long sampleUs, long aggrUs, long opsUpdateUs)
        : this(sampleUs, aggrUs, opsUpdateUs, DamonIntervalsGoal.Disabled) { }

    /// <summary>
    /// Samples in one aggregation window by the kernel's damon_nr_samples_per_aggr rule (the one
    /// DamonCore.NrSamplesPerAggr implements): a zero sample interval counts as 1 µs and the result
    /// is at least 1. Kept fractional, as damo's aggr / sample is, so intervals that do not divide
    /// evenly show damo's numbers. The kernel accepts zero intervals, so records can carry them.
    /// </summary>
    public double SamplesPerAggr => Math.Max((double)AggrUs / Math.Max(SampleUs, 1), 1);

    /// <summary>
    /// The aggregation interval reports divide by and convert ages with: a zero interval counts as
    /// 1 µs, as the sample interval does in <see cref="SamplesPerAggr"/>; it is also the least time
    /// a Damon kdamond iteration (and so an aggregation) takes.
    /// </summary>
    public long EffectiveAggrUs => Math.Max(AggrUs, 1);
}
