using Damon.Core.Monitoring;

namespace Damon.Linux.Syscalls;

/// <summary>
/// Paces page migration to a byte rate: each batch may start once the previous batches' bytes have
/// had their time at <see cref="BytesPerSec"/>. The clock and the sleep are injected so tests run
/// on virtual time instead of waiting.
/// </summary>
public sealed class MigrationRateLimiter
{
    private readonly IDamonClock _clock;
    private readonly Action<ulong> _sleepNs;
    private ulong _nextNs;
    private bool _started;

    public MigrationRateLimiter(ulong bytesPerSec, IDamonClock clock, Action<ulong> sleepNs)
    {
        if (bytesPerSec == 0)
            throw new ArgumentOutOfRangeException(nameof(bytesPerSec), "migration rate limit: must be at least 1 byte per second");
        BytesPerSec = bytesPerSec;
        _clock = clock;
        _sleepNs = sleepNs;
    }

    /// <summary>A limiter on the real clock that really sleeps.</summary>
    public static MigrationRateLimiter RealTime(ulong bytesPerSec) =>
        new(bytesPerSec, new StopwatchClock(), ns => Thread.Sleep(TimeSpan.FromTicks((long)(ns / 100))));

    public ulong BytesPerSec { get; }

    /// <summary>Total nanoseconds this limiter has slept.</summary>
    public ulong SleptNs { get; private set; }

    /// <summary>Wait until <paramref name="bytes"/> more may be moved, then account for them.</summary>
    public void Acquire(ulong bytes)
    {
        ulong now = _clock.NowNs;
        if (!_started || _nextNs < now)
        {
            _nextNs = now;
            _started = true;
        }
        if (_nextNs > now)
        {
            ulong wait = _nextNs - now;
            SleptNs += wait;
            _sleepNs(wait);
        }
        _nextNs += (ulong)((UInt128)bytes * 1_000_000_000UL / BytesPerSec);
    }
}
