using Damon.Core.Operations;

namespace Damon.Core.Monitoring;

/// <summary>
/// One DAMON instance: its operations registry and its running kdamonds (damon_start,
/// damon_stop, the exclusive-group rule). The kernel keeps this state global; an engine object
/// lets tests and several simulations live in one process.
/// </summary>
public sealed class DamonEngine
{
    private readonly Lock _lock = new();
    private readonly List<Kdamond> _running = [];
    private bool _runningExclusive;

    public DamonOpsRegistry Registry { get; } = new();

    public int NrRunningKdamonds
    {
        get { lock (_lock) return _running.Count; }
    }

    /// <summary>
    /// damon_start: validate each context by committing it into a fresh one, then create a kdamond
    /// per context. Exclusive starts (the special-purpose modules) and non-exclusive starts (the
    /// sysfs interface) exclude each other: -EBUSY.
    /// </summary>
    public IReadOnlyList<Kdamond> Start(IReadOnlyList<DamonContext> ctxs, bool exclusive)
    {
        foreach (var ctx in ctxs)
            DamonCore.CommitCtx(new DamonContext(), ctx);

        lock (_lock)
        {
            if (exclusive && _running.Count > 0)
                throw new DamonException(Errno.EBUSY, "damon_start: an exclusive start needs no kdamond running");
            if (!exclusive && _runningExclusive)
                throw new DamonException(Errno.EBUSY, "damon_start: an exclusive group of kdamonds is running");
            foreach (var ctx in ctxs)
                foreach (var k in _running)
                    if (k.Ctx == ctx)
                        throw new DamonException(Errno.EBUSY, $"damon_start: the context already runs on {k.Name}");

            var started = new List<Kdamond>(ctxs.Count);
            foreach (var ctx in ctxs)
            {
                var k = new Kdamond(ctx, $"kdamond.{_running.Count}");
                k.Exited += OnExited;
                _running.Add(k);
                started.Add(k);
            }
            if (exclusive)
                _runningExclusive = true;
            return started;
        }
    }

    /// <summary>damon_stop: ask each kdamond to exit.</summary>
    public static void Stop(IEnumerable<Kdamond> kdamonds)
    {
        foreach (var k in kdamonds)
            k.RequestStop();
    }

    private void OnExited(Kdamond k)
    {
        lock (_lock)
        {
            _running.Remove(k);
            if (_running.Count == 0)
                _runningExclusive = false;
        }
    }
}
