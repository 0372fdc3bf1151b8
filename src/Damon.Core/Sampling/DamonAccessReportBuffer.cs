namespace Damon.Core.Sampling;

/// <summary>What happened to the reports of one context so far; users read it as a stat.</summary>
public readonly record struct DamonAccessReportStats(
    ulong NrReported, ulong NrDroppedFull, ulong NrDroppedBusy, ulong NrStale, ulong NrFiltered, ulong NrFolded);

/// <summary>
/// The reports damon_report_access() buffered for one context until its kdamond folds them
/// (kdamond_check_reported_accesses). Bounded at <see cref="Capacity"/> (the RFC's
/// DAMON_ACCESS_REPORTS_CAP, 1000). A reporter never waits: like the RFC it only try-locks, and a
/// report that finds the buffer full or busy is dropped and counted
/// (<see cref="DamonAccessReportStats.NrDroppedFull"/>, <see cref="DamonAccessReportStats.NrDroppedBusy"/>).
/// <para>
/// Per context rather than the RFC's one global buffer (docs/kernel-differences.md): each context
/// stamps and ages reports in its own clock (a simulation's virtual time is not another's), drains
/// what it folded without taking reports from another kdamond, and counts its own overflow. A
/// source that serves several contexts reports to each of their buffers.
/// </para>
/// </summary>
public sealed class DamonAccessReportBuffer
{
    /// <summary>DAMON_ACCESS_REPORTS_CAP.</summary>
    public const int DefaultCapacity = 1000;

    private readonly Lock _lock = new();
    // Two arrays: the kdamond swaps them under the lock and folds the full one outside it, so a
    // reporter is never kept out for longer than a swap.
    // Made on the first report: most contexts never get one.
    private DamonAccessReport[]? _filling;
    private DamonAccessReport[]? _draining;
    private int _len;
    private long _nrReported, _nrDroppedFull, _nrDroppedBusy;
    // Written by the kdamond only.
    private ulong _nrStale, _nrFiltered, _nrFolded;

    public DamonAccessReportBuffer(int capacity = DefaultCapacity)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "the report buffer needs room for at least one report");
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Reports waiting to be folded.</summary>
    public int Count
    {
        get { lock (_lock) return _len; }
    }

    public DamonAccessReportStats Stats => new(
        (ulong)Interlocked.Read(ref _nrReported), (ulong)Interlocked.Read(ref _nrDroppedFull),
        (ulong)Interlocked.Read(ref _nrDroppedBusy), _nrStale, _nrFiltered, _nrFolded);

    /// <summary>
    /// damon_report_access with the time already set by the source (<see cref="DamonAccessReport.ReportTimeNs"/>,
    /// in the context's clock). Returns false if the report was dropped.
    /// </summary>
    public bool Report(in DamonAccessReport report)
    {
        if (!_lock.TryEnter())
        {
            Interlocked.Increment(ref _nrDroppedBusy);
            return false;
        }
        try
        {
            _filling ??= new DamonAccessReport[Capacity];
            if (_len == Capacity)
            {
                Interlocked.Increment(ref _nrDroppedFull);
                return false;
            }
            _filling[_len++] = report;
        }
        finally
        {
            _lock.Exit();
        }
        Interlocked.Increment(ref _nrReported);
        return true;
    }

    /// <summary>
    /// Take every buffered report, leaving the buffer empty for reporters. The span stays valid
    /// until the next call; only the kdamond calls this.
    /// </summary>
    public ReadOnlySpan<DamonAccessReport> Drain()
    {
        int n;
        lock (_lock)
        {
            if (_len == 0)
                return [];
            _draining ??= new DamonAccessReport[Capacity];
            (_filling, _draining) = (_draining, _filling);
            n = _len;
            _len = 0;
        }
        return _draining.AsSpan(0, n);
    }

    internal void CountFold(ulong stale, ulong filtered, ulong folded)
    {
        _nrStale += stale;
        _nrFiltered += filtered;
        _nrFolded += folded;
    }
}
