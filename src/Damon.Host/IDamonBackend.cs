using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Host.Engine;
using Damon.Host.Metrics;
using Damon.Host.Snapshots;

namespace Damon.Host;

/// <summary>
/// Where DAMON runs: the simulated machine, or a real Linux kernel (kernel mode: kernel DAMON runs
/// the schemes through sysfs; user mode: the kernel monitors and Damon's own engine runs DAMOS).
/// The verbs and the record collector are written against this only. Time is µs since the
/// backend was created, on the backend's own clock: simulated time for the simulator,
/// CLOCK_MONOTONIC for Linux (docs/host.md).
/// <code>
/// using var b = new SimBackend(options);
/// b.Start(spec);                                   // damon_start of every context in spec
/// b.Aggregated += s => Console.WriteLine(s.TimeUs);
/// var end = b.Run(RunLimit.ForUs(5_000_000), ct);  // events arrive on this thread
/// b.Commit(changed);                               // damon_commit_ctx, by place
/// var status = b.Status(triedRegions: true, ct);
/// b.Stop();
/// </code>
/// Members are called from one thread, except <see cref="Stop"/>, which may also be called from
/// another thread or from an event handler.
/// </summary>
public interface IDamonBackend : IDisposable
{
    /// <summary>Short name for messages and results: "sim", "linux-kernel", "linux-user".</summary>
    string Name { get; }

    BackendCapabilities Capabilities { get; }

    /// <summary>µs since the backend was created, on its clock.</summary>
    ulong NowUs { get; }

    /// <summary>The started contexts, in kdamond then context order.</summary>
    IReadOnlyList<BackendContext> Contexts { get; }

    /// <summary>
    /// damon_start of every context of <paramref name="spec"/> (targets resolved: pids given,
    /// paddr regions given or left to the backend's System RAM default). Throws
    /// <see cref="Damon.Config.ConfigException"/> for a spec the mapping refuses and
    /// <see cref="Damon.Core.DamonException"/> for one the engine or kernel rejects (-EINVAL,
    /// -EBUSY); nothing is started then.
    /// </summary>
    IReadOnlyList<BackendContext> Start(KdamondsSpec spec, IMemcgResolver? memcgs = null);

    /// <summary>
    /// damon_start of contexts built in code (a module's staged contexts): each runs as its own
    /// kdamond, placed at (its index, 0) after any running ones, named <see cref="ContextRequest.Name"/>.
    /// </summary>
    IReadOnlyList<BackendContext> Start(IReadOnlyList<ContextRequest> contexts, bool exclusive);

    /// <summary>
    /// Runs until <paramref name="limit"/>, until every target is gone, until <see cref="Stop"/>
    /// or until <paramref name="cancel"/>; raises <see cref="Aggregated"/> and
    /// <see cref="SliceEnded"/> on the calling thread meanwhile. The kdamonds keep running after it
    /// returns (call Run again to go on) unless they were stopped or their targets went away.
    /// Cancellation is a normal end (<see cref="RunEndReason.Cancelled"/>), not an exception.
    /// </summary>
    RunEnd Run(RunLimit limit, CancellationToken cancel);

    /// <summary>The damon_aggregated moment of a context: its regions before the reset.</summary>
    event Action<AggregationSnapshot>? Aggregated;

    /// <summary>Between two slices of a run (sim: 50 ms of simulated time; Linux: about 100 ms): progress, timed work.</summary>
    event Action<RunSlice>? SliceEnded;

    /// <summary>
    /// damon_commit_ctx of each context of <paramref name="spec"/> onto the running context at the
    /// same (kdamond, context) index: attrs, targets by index (obsolete removes), schemes by index
    /// keeping their stats and charging state, quotas, goals, filters and probes. The task ends
    /// when the kdamond made the commit (the simulator makes it at the next kdamond iteration, so
    /// it ends during the next <see cref="Run"/>); a rejected commit faults it with
    /// <see cref="Damon.Core.DamonException"/> and leaves the running context as it was.
    /// </summary>
    Task Commit(KdamondsSpec spec, IMemcgResolver? memcgs = null);

    /// <summary>
    /// damon_stop: every kdamond finishes the iteration it is in (which may still aggregate and
    /// raise an event), exits and releases its targets; no event is raised after the kdamonds
    /// exited. Called during a run, the run ends with <see cref="RunEndReason.Stopped"/>.
    /// </summary>
    void Stop();

    /// <summary>
    /// The status tree damo's <c>report damon</c> reads: the parameters, state on/off, scheme
    /// stats, and with <paramref name="triedRegions"/> (while running) the tried regions of an
    /// <c>update_schemes_tried_regions</c> — for which the simulator runs simulated time on until
    /// the walks end.
    /// </summary>
    KdamondsSpec Status(bool triedRegions, CancellationToken cancel);

    /// <summary>Every node's memory now, and the migrations and reclaim since start.</summary>
    NodeMetrics Nodes();

    /// <summary>Resident pages of process <paramref name="pid"/> per node; null when there is no such process.</summary>
    ProcessNodeUsage? ProcessUsage(int pid);

    /// <summary>The in-process engine modules start on, when DAMOS runs in Damon (null in kernel mode).</summary>
    IEngineHost? EngineHost { get; }
}
