using System.Diagnostics;
using Damon.Core.Monitoring;

namespace Damon.Core.Drivers;

/// <summary>
/// Runs one kdamond on its own thread in real time, sleeping each requested interval against a
/// deadline so per-iteration work does not make the sampling drift. Used by the Linux backend.
/// </summary>
public sealed class RealTimeDriver
{
    private readonly Kdamond _kdamond;

    public RealTimeDriver(Kdamond kdamond)
    {
        _kdamond = kdamond;
        kdamond.Ctx.Clock = Clock;
    }

    public StopwatchClock Clock { get; } = new();

    /// <summary>Run until the kdamond exits; cancelling the token requests a stop.</summary>
    public Task RunAsync(CancellationToken cancel = default)
    {
        return Task.Factory.StartNew(() =>
        {
            using var reg = cancel.Register(_kdamond.RequestStop);
            long deadline = Stopwatch.GetTimestamp();
            foreach (var sleep in _kdamond.Run())
            {
                deadline += (long)(sleep.Us * (Stopwatch.Frequency / 1_000_000.0));
                long now = Stopwatch.GetTimestamp();
                // Fell behind by more than a whole interval: restart the schedule from now
                // rather than sampling back-to-back to catch up.
                if (deadline < now)
                    deadline = now;
                SleepUntil(deadline, cancel);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static void SleepUntil(long deadline, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            long leftTicks = deadline - Stopwatch.GetTimestamp();
            if (leftTicks <= 0)
                return;
            double leftMs = leftTicks * 1000.0 / Stopwatch.Frequency;
            if (leftMs > 2)
                cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(leftMs - 1));
            else
                Thread.SpinWait(64);
        }
    }
}
