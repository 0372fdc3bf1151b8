using System.Diagnostics;

namespace Damon.Linux.Backend.Snapshots;

/// <summary>
/// The backend's clock and its waits between two snapshots. Live: CLOCK_MONOTONIC and a sleep of
/// half an aggregation interval, after which the blocking update_schemes_tried_regions write
/// returns at the kernel's next apply (the kernel does the waiting; nothing spins). Tests: a
/// fake that advances its clock by one aggregation and lets the test change the fake kernel.
/// </summary>
public interface IKernelPacer
{
    ulong NowNs { get; }

    /// <summary>Wait before asking for the next aggregation's regions; false when cancelled.</summary>
    bool WaitForAggregation(ulong aggrUs, CancellationToken cancel);

    /// <summary>A plain sleep (damo's settle time before `on` for vaddr targets).</summary>
    void Sleep(TimeSpan t);
}

/// <summary>Real time: <see cref="Stopwatch"/> (CLOCK_MONOTONIC on Linux) and cancellable waits.</summary>
public sealed class RealTimePacer : IKernelPacer
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public ulong NowNs => (ulong)(Stopwatch.GetElapsedTime(_origin).Ticks * 100);

    public bool WaitForAggregation(ulong aggrUs, CancellationToken cancel)
    {
        var wait = TimeSpan.FromMicroseconds(Math.Max(aggrUs / 2, 1000));
        return !cancel.WaitHandle.WaitOne(wait);
    }

    public void Sleep(TimeSpan t) => Thread.Sleep(t);
}
