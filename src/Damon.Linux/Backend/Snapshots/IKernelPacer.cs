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
/// Real time: <see cref="Stopwatch"/> (CLOCK_MONOTONIC on Linux) and cancellable waits. The wait
/// before a request is half of what is left of an aggregation interval since the previous wait
/// ended: on 6.14+ the update command returns right after the next apply, so the next request
/// lands mid-window and gets the following one; on older kernels the command itself takes at
/// least the kernel's 100 ms polling step, and no wait is added on top.
/// </summary>
public sealed class RealTimePacer : IKernelPacer
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private ulong? _lastWaitEndNs;

    public ulong NowNs => (ulong)(Stopwatch.GetElapsedTime(_origin).Ticks * 100);

    public bool WaitForAggregation(ulong aggrUs, CancellationToken cancel)
    {
        ulong aggrNs = aggrUs * 1000;
        ulong sinceNs = _lastWaitEndNs is ulong last ? NowNs - last : 0;
        ulong waitNs = sinceNs >= aggrNs ? 0 : (aggrNs - sinceNs) / 2;
        bool cancelled = waitNs != 0 ? cancel.WaitHandle.WaitOne(TimeSpan.FromTicks((long)(waitNs / 100))) : cancel.IsCancellationRequested;
        _lastWaitEndNs = NowNs;
        return !cancelled;
    }

    public void Sleep(TimeSpan t) => Thread.Sleep(t);
}
