using Damon.Linux.Backend.Snapshots;

namespace Damon.Linux.Tests.Backend.Fakes;

/// <summary>
/// A clock that moves one aggregation interval per wait and lets the test play the kernel in
/// between (set the tried regions of the coming aggregation, turn a kdamond off).
/// </summary>
internal sealed class FakePacer : IKernelPacer
{
    public ulong NowNs { get; private set; }
    public int NrWaits { get; private set; }
    public List<TimeSpan> Sleeps { get; } = [];

    /// <summary>Called with the 1-based number of the aggregation about to be read.</summary>
    public Action<int>? BeforeAggregation { get; set; }

    public bool WaitForAggregation(ulong aggrUs, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested)
            return false;
        NowNs += aggrUs * 1000;
        NrWaits++;
        BeforeAggregation?.Invoke(NrWaits);
        return true;
    }

    public void Sleep(TimeSpan t) => Sleeps.Add(t);
}
