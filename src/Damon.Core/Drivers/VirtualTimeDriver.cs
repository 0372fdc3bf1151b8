using Damon.Core.Monitoring;

namespace Damon.Core.Drivers;

/// <summary>
/// The world the kdamonds watch, moved forward in virtual time: a simulated machine runs its
/// workload up to <paramref name="nowUs"/>; a test sets accessed bits.
/// </summary>
public interface IVirtualWorld
{
    void AdvanceTo(ulong nowUs);
}

/// <summary>
/// Runs kdamonds in virtual time: always resumes the kdamond whose sleep ends first, after letting
/// the world run up to that moment. Deterministic for a given seed, and as fast as the CPU allows.
/// </summary>
public sealed class VirtualTimeDriver
{
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
        _queue.Enqueue(e, (nowUs + sleep.Us, _order++));
    }

    /// <summary>Run until virtual time reaches <paramref name="endUs"/> or every kdamond exited.</summary>
    public void RunUntil(ulong endUs)
    {
        while (_queue.TryPeek(out _, out var key) && key.WakeUs <= endUs)
        {
            var e = _queue.Dequeue();
            AdvanceWorld(key.WakeUs);
            Resume(e, key.WakeUs);
        }
        AdvanceWorld(Math.Max(endUs, NowUs));
    }

    public void RunFor(ulong durationUs) => RunUntil(NowUs + durationUs);

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

    private void AdvanceWorld(ulong nowUs)
    {
        if (nowUs < NowUs)
            return;
        _world?.AdvanceTo(nowUs);
        Clock.NowNs = nowUs * 1000;
    }
}
