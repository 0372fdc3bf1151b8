using Damon.Core.Monitoring;

namespace Damon.Core.Drivers;

/// <summary>
/// The world the kdamonds watch, moved forward in virtual time: a simulated machine runs its
/// workload up to <paramref name="nowUs"/>; a test sets accessed bits.
/// </summary>
public interface IVirtualWorld
{
    void AdvanceTo(ulong nowUs);

    /// <summary>
    /// <see cref="AdvanceTo(ulong)"/> that gives up with <see cref="OperationCanceledException"/>
    /// once <paramref name="cancel"/> is set, for worlds whose advance can take long (a simulated
    /// machine running seconds of workload between two samples).
    /// </summary>
    void AdvanceTo(ulong nowUs, CancellationToken cancel) => AdvanceTo(nowUs);
}

/// <summary>
/// Runs kdamonds in virtual time: always resumes the kdamond whose sleep ends first, after letting
/// the world run up to that moment. Deterministic for a given seed, and as fast as the CPU allows.
/// </summary>
public sealed class VirtualTimeDriver
{
    /// <summary>
    /// The least simulated time one kdamond sleep takes. The kernel accepts a zero sample interval
    /// and its kdamond then busy-loops in real time, where every iteration still costs some CPU
    /// time; in virtual time a zero sleep would stop the clock for good, so each one costs this
    /// instead (docs/kernel-differences.md).
    /// </summary>
    public const ulong MinSleepUs = 1;

    private readonly PriorityQueue<Entry, (ulong WakeUs, int Order)> _queue = new();
    private readonly IVirtualWorld? _world;
    private int _order;

    private sealed class Entry(Kdamond kdamond, IEnumerator<KdamondSleep> loop)
    {
        public Kdamond Kdamond { get; } = kdamond;
        public IEnumerator<KdamondSleep> Loop { get; } = loop;
        public KdamondSleepReason LastSleep { get; set; }
    }

    public VirtualTimeDriver(IVirtualWorld? world = null, ManualClock? clock = null)
    {
        _world = world;
        Clock = clock ?? new ManualClock();
    }

    public ManualClock Clock { get; }
    public ulong NowUs => Clock.NowNs / 1000;
    public int NrActive => _queue.Count;

    /// <summary>
    /// Start running a kdamond from the current virtual time. DAMOS reads <paramref name="clock"/>
    /// (default: the driver's), e.g. one that adds the time the context's actions were charged.
    /// </summary>
    public void Add(Kdamond kdamond, IDamonClock? clock = null)
    {
        kdamond.Ctx.Clock = clock ?? Clock;
        var entry = new Entry(kdamond, kdamond.Run().GetEnumerator());
        Resume(entry, NowUs);
    }

    private void Resume(Entry e, ulong nowUs)
    {
        if (!e.Loop.MoveNext())
        {
            e.Loop.Dispose();
            return;
        }
        var sleep = e.Loop.Current;
        e.LastSleep = sleep.Reason;
        ulong sleepUs = Math.Max(sleep.Us, MinSleepUs);
        // A sleep past the end of representable time is a sleep for ever.
        ulong wakeUs = nowUs > ulong.MaxValue - sleepUs ? ulong.MaxValue : nowUs + sleepUs;
        _queue.Enqueue(e, (wakeUs, _order++));
    }

    /// <summary>
    /// Run until virtual time reaches <paramref name="endUs"/> or every kdamond exited.
    /// <paramref name="cancel"/> is checked before every kdamond resumption, so a cancelled run
    /// stops between two iterations of a kdamond (throwing <see cref="OperationCanceledException"/>)
    /// however short the intervals and however far <paramref name="endUs"/> is.
    /// </summary>
    public void RunUntil(ulong endUs, CancellationToken cancel = default)
    {
        while (_queue.TryPeek(out _, out var key) && key.WakeUs <= endUs)
        {
            cancel.ThrowIfCancellationRequested();
            var e = _queue.Dequeue();
            try
            {
                AdvanceWorld(key.WakeUs, cancel);
            }
            catch (OperationCanceledException)
            {
                // Still asleep: StopAll must find it to run it to its exit.
                _queue.Enqueue(e, key);
                throw;
            }
            Resume(e, key.WakeUs);
        }
        cancel.ThrowIfCancellationRequested();
        AdvanceWorld(Math.Max(endUs, NowUs), cancel);
    }

    public void RunFor(ulong durationUs, CancellationToken cancel = default) =>
        RunUntil(NowUs > ulong.MaxValue - durationUs ? ulong.MaxValue : NowUs + durationUs, cancel);

    /// <summary>Resume kdamonds <paramref name="nrSleeps"/> times in wake order (for tests and benchmarks).</summary>
    public void Step(int nrSleeps = 1)
    {
        for (int i = 0; i < nrSleeps && _queue.TryDequeue(out var e, out var key); i++)
        {
            AdvanceWorld(key.WakeUs);
            Resume(e, key.WakeUs);
        }
    }

    /// <summary>Ask every kdamond to stop and run them to their exit.</summary>
    public void StopAll()
    {
        // kthread_stop wakes a sleeping kdamond at once: the world does not advance to the wake time.
        while (_queue.TryDequeue(out var e, out _))
        {
            e.Kdamond.RequestStop();
            while (e.Loop.MoveNext()) { }
            e.Loop.Dispose();
        }
    }

    private void AdvanceWorld(ulong nowUs, CancellationToken cancel = default)
    {
        if (nowUs < NowUs)
            return;
        _world?.AdvanceTo(nowUs, cancel);
        Clock.NowNs = nowUs * 1000;
    }
}
