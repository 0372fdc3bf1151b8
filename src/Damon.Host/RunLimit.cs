namespace Damon.Host;

/// <summary>How long <see cref="IDamonBackend.Run"/> runs: for a duration from now, or until stopped.</summary>
public readonly record struct RunLimit(ulong? DurationUs)
{
    public static RunLimit ForUs(ulong durationUs) => new(durationUs);

    public static RunLimit UntilStopped => new(null);

    /// <summary>The end on the backend's clock for a run starting at <paramref name="nowUs"/>.</summary>
    public ulong EndUs(ulong nowUs) => DurationUs is ulong d ? (nowUs > ulong.MaxValue - d ? ulong.MaxValue : nowUs + d) : ulong.MaxValue;
}

public enum RunEndReason
{
    /// <summary>The duration ran out.</summary>
    LimitReached,
    /// <summary>Every target went away (simulator: the workload finished; Linux: the processes exited).</summary>
    TargetsGone,
    /// <summary><see cref="IDamonBackend.Stop"/> was called.</summary>
    Stopped,
    /// <summary>The run's cancellation token fired; what was raised until then stays valid.</summary>
    Cancelled,
}

/// <summary>Why and when (backend µs) a run ended.</summary>
public readonly record struct RunEnd(RunEndReason Reason, ulong EndUs);

/// <summary>The end of one slice of a run; <see cref="Last"/>: the run ends after this slice (limit reached or targets gone).</summary>
public readonly record struct RunSlice(ulong NowUs, bool Last);
