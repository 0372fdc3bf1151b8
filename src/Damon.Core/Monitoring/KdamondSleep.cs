namespace Damon.Core.Monitoring;

public enum KdamondSleepReason
{
    /// <summary>One sampling interval between preparing and checking accesses.</summary>
    Sample,
    /// <summary>Every scheme is deactivated by its watermarks.</summary>
    WatermarkWait,
    /// <summary>The context is paused.</summary>
    Pause,
}

/// <summary>What the kdamond asks its driver for: let <see cref="Us"/> microseconds pass.</summary>
public readonly record struct KdamondSleep(ulong Us, KdamondSleepReason Reason);
