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
}
