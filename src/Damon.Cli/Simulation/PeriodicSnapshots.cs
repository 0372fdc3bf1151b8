using Damon.Core.Monitoring;

namespace Damon.Cli.Simulation;

/// <summary>
/// Which aggregation snapshots <c>sim</c> prints: per context, the first at or after each multiple
/// of <c>--snapshot_every</c>, and when the run ends the context's last one, so a run whose length
/// is not a multiple (or whose workload ended early) still shows DAMON's final view. A last
/// snapshot that was already printed periodically is not repeated.
/// </summary>
internal sealed class PeriodicSnapshots
{
    private readonly SimSession _session;
    private readonly ulong _everyUs;
    private readonly Dictionary<DamonContext, ulong> _nextUs;
    // Copied at every aggregation: after it the kdamond resets nr_accesses, so the end of the run
    // cannot be read back from the context.
    private readonly Dictionary<DamonContext, CapturedSnapshot> _latest = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<DamonContext, CapturedSnapshot> _lastPrinted = new(ReferenceEqualityComparer.Instance);
    private bool _ended;

    public PeriodicSnapshots(SimSession session, ulong everyUs)
    {
        _session = session;
        _everyUs = everyUs;
        _nextUs = new Dictionary<DamonContext, ulong>(ReferenceEqualityComparer.Instance);
        foreach (var c in session.Contexts)
            _nextUs[c.Ctx] = everyUs;
    }

    /// <summary>Every snapshot to print or write, in the order they were taken.</summary>
    public List<CapturedSnapshot> Printed { get; } = [];

    /// <summary>An aggregation of <paramref name="ctx"/>; returns the snapshot to print now, if any.</summary>
    public CapturedSnapshot? Aggregated(DamonContext ctx, ulong nowUs)
    {
        if (_ended || !_nextUs.TryGetValue(ctx, out var next))
            return null;
        var snap = CapturedSnapshot.Capture(_session.ContextOf(ctx), nowUs);
        _latest[ctx] = snap;
        if (nowUs < next)
            return null;
        // The next multiple of the period after now, without stepping there: a period of 1 us
        // against a first aggregation at 100 s would be 10^8 steps.
        _nextUs[ctx] = (nowUs / _everyUs + 1) * _everyUs;
        _lastPrinted[ctx] = snap;
        Printed.Add(snap);
        return snap;
    }

    /// <summary>
    /// The run is over: later aggregations (the kdamonds may run on while the status is read) are
    /// ignored. Returns each context's last snapshot not printed yet, in context order (none when
    /// called again).
    /// </summary>
    public List<CapturedSnapshot> End()
    {
        _ended = true;
        var last = new List<CapturedSnapshot>();
        foreach (var c in _session.Contexts)
        {
            if (!_latest.TryGetValue(c.Ctx, out var snap))
                continue;
            if (_lastPrinted.TryGetValue(c.Ctx, out var printed) && ReferenceEquals(printed, snap))
                continue;
            _lastPrinted[c.Ctx] = snap;
            last.Add(snap);
            Printed.Add(snap);
        }
        return last;
    }
}
