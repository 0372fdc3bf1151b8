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

/// <summary>
/// Real time: <see cref="Stopwatch"/> (CLOCK_MONOTONIC on Linux) and cancellable waits. The next
/// request follows the previous one at once: the kernel answers update_schemes_tried_regions only
/// after the schemes' next apply (6.14+: damos_walk; 6.12: on a 100 ms polling step), so the
/// kernel does the waiting, and a request made right after an apply gets the next one. Only when
/// the previous round came back in less than a quarter of an aggregation interval (a command that
/// did not wait) does it sleep half an interval, so nothing spins.
/// </summary>
public sealed class RealTimePacer : IKernelPacer
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private ulong? _lastWaitEndNs;

    public ulong NowNs => (ulong)(Stopwatch.GetElapsedTime(_origin).Ticks * 100);

    public bool WaitForAggregation(ulong aggrUs, CancellationToken cancel)
    {
        ulong aggrNs = aggrUs * 1000;
        bool fast = _lastWaitEndNs is ulong last && NowNs - last < aggrNs / 4;
        bool cancelled = fast ? cancel.WaitHandle.WaitOne(TimeSpan.FromTicks((long)(aggrNs / 2 / 100))) : cancel.IsCancellationRequested;
        _lastWaitEndNs = NowNs;
        return !cancelled;
    }

    public void Sleep(TimeSpan t) => Thread.Sleep(t);
}
