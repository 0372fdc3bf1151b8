namespace Damon.Core.Monitoring;

/// <summary>
/// The monotonic clock DAMOS reads for quota reset windows (jiffies in the kernel) and for the
/// time an action took (total_charged_ns). The engine never reads the wall clock itself.
/// </summary>
public interface IDamonClock
{
    ulong NowNs { get; }
}

/// <summary>A clock that moves only when told: virtual time for simulation and tests.</summary>
public sealed class ManualClock : IDamonClock
{
    public ulong NowNs { get; set; }

    public void AdvanceUs(ulong us) => NowNs += us * 1000;
}

/// <summary>Real time from <see cref="System.Diagnostics.Stopwatch"/>.</summary>
public sealed class StopwatchClock : IDamonClock
{
    private readonly long _origin = System.Diagnostics.Stopwatch.GetTimestamp();

    public ulong NowNs =>
        (ulong)((System.Diagnostics.Stopwatch.GetTimestamp() - _origin) * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency));
}

/// <summary>A clock stuck at zero, for contexts nobody attached a clock to.</summary>
internal sealed class ZeroClock : IDamonClock
{
    public static readonly ZeroClock Instance = new();
    public ulong NowNs => 0;
}
