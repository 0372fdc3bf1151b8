namespace Damon.Host.Snapshots;

/// <summary>
/// Which aggregation snapshots a run shows: per context, the first at or after each multiple of
/// the period, and when the run ends the context's last one, so a run whose length is not a
/// multiple (or whose targets went away early) still shows DAMON's final view. A last snapshot
/// that was already shown periodically is not repeated.
/// </summary>
public sealed class PeriodicSnapshots
{
    private readonly IReadOnlyList<BackendContext> _contexts;
    private readonly ulong _everyUs;
    private readonly Dictionary<BackendContext, ulong> _nextUs = [];
    // Kept at every aggregation: after it the kdamond resets nr_accesses, so the end of the run
    // cannot be read back from the context.
    private readonly Dictionary<BackendContext, AggregationSnapshot> _latest = [];
    private readonly Dictionary<BackendContext, AggregationSnapshot> _lastPrinted = [];
    private bool _ended;

    public PeriodicSnapshots(IReadOnlyList<BackendContext> contexts, ulong everyUs)
    {
        _contexts = contexts;
        _everyUs = everyUs;
        foreach (var c in contexts)
            _nextUs[c] = everyUs;
    }

    /// <summary>Every snapshot shown, in the order they were taken.</summary>
    public List<AggregationSnapshot> Printed { get; } = [];

    /// <summary>An aggregation; returns the snapshot to show now, if any.</summary>
    public AggregationSnapshot? Aggregated(AggregationSnapshot snap)
    {
        var ctx = snap.Context;
        if (_ended || !_nextUs.TryGetValue(ctx, out var next))
            return null;
        _latest[ctx] = snap;
        if (snap.TimeUs < next)
            return null;
        // The next multiple of the period after now, without stepping there: a period of 1 us
        // against a first aggregation at 100 s would be 10^8 steps.
        _nextUs[ctx] = (snap.TimeUs / _everyUs + 1) * _everyUs;
        _lastPrinted[ctx] = snap;
        Printed.Add(snap);
        return snap;
    }

    /// <summary>
    /// The run is over: later aggregations (the kdamonds may run on while the status is read) are
    /// ignored. Returns each context's last snapshot not shown yet, in context order (none when
    /// called again).
    /// </summary>
    public List<AggregationSnapshot> End()
    {
        _ended = true;
        var last = new List<AggregationSnapshot>();
        foreach (var c in _contexts)
        {
            if (!_latest.TryGetValue(c, out var snap))
                continue;
            if (_lastPrinted.TryGetValue(c, out var printed) && ReferenceEquals(printed, snap))
                continue;
            _lastPrinted[c] = snap;
            last.Add(snap);
            Printed.Add(snap);
        }
        return last;
    }
}
