using Damon.Config.Engine;
using Damon.Config.Schema;
using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Host.Engine;
using Damon.Host.Metrics;
using Damon.Host.Snapshots;
using Damon.Sim.Machine;
using Damon.Sim.Workloads;

namespace Damon.Host.Sim;

/// <summary>
/// The simulated machine as a DAMON backend: a <see cref="Damon.Sim.Running.Simulation"/> whose
/// contexts are started from specs by damon_commit_ctx into the simulation's own contexts (which
/// hold the machine's operations sets, metrics and seeded generators), run in slices of simulated
/// time. Its clock is simulated time since the machine was created. "Targets gone" is the
/// workload's end: every thread finished.
/// </summary>
public sealed class SimBackend : IDamonBackend, IEngineHost
{
    /// <summary>Simulated time per slice: how often progress, commits and flushes are looked at.</summary>
    public const ulong SliceUs = 50_000;

    private readonly Damon.Sim.Running.Simulation _sim;
    private readonly List<Entry> _entries = [];
    private readonly BackendStop _stop;
    private bool _eventsClosed;

    private sealed record Entry(BackendContext Place, DamonContext Ctx, IMemcgResolver? Memcgs);

    /// <exception cref="WorkloadFormatException">the workload's setup refused its input.</exception>
    /// <exception cref="Damon.Sim.SimulationException">the workload does not fit the machine.</exception>
    public SimBackend(SimBackendOptions options)
    {
        _sim = new Damon.Sim.Running.Simulation(options.Machine, options.Workload, options.Seed);
        _sim.Snapshot += OnSnapshot;
        _stop = new BackendStop(StopKdamonds);
    }

    public string Name => "sim";

    public BackendCapabilities Capabilities { get; } = new()
    {
        Ops = [OperationsId.Vaddr, OperationsId.Fvaddr, OperationsId.Paddr],
        SimulatedTime = true,
        OnlineCommit = true,
        TriedRegions = true,
        ProcessNodeUsage = true,
        InProcessEngine = true,
    };

    public ulong NowUs => _sim.NowUs;
    public SimMachine Machine => _sim.Machine;
    public IWorkload Workload => _sim.Workload;
    /// <summary>The pids of the workload's live processes, the targets of vaddr contexts given none.</summary>
    public IReadOnlyList<int> WorkloadPids => Machine.Processes.Where(p => p.Alive).Select(p => p.Pid).ToList();
    public IReadOnlyList<(ulong Start, ulong End)> HotRanges => SimWorkloadHints.HotRanges(_sim.Workload);
    /// <summary>When the workload's threads all finished, if a run saw that.</summary>
    public ulong? WorkloadFinishedUs { get; private set; }

    public IReadOnlyList<BackendContext> Contexts => _entries.Select(e => e.Place).ToList();

    public event Action<AggregationSnapshot>? Aggregated;
    public event Action<RunSlice>? SliceEnded;

    public IEngineHost EngineHost => this;
    IEngineHost? IDamonBackend.EngineHost => this;
    public DamonEngine Engine => _sim.Engine;
    public IMemoryLayout Layout => SimMemoryLayout.Of(_sim.Machine);
    public IDamonMetrics Metrics => _sim.Machine;
    public ulong Seed => _sim.Machine.Seed;

    public IReadOnlyList<BackendContext> Start(KdamondsSpec spec, IMemcgResolver? memcgs = null)
    {
        memcgs ??= new MemcgPathTable();
        var built = new List<(int K, int C, EngineContext Src)>();
        for (int k = 0; k < spec.Kdamonds.Count; k++)
            for (int c = 0; c < spec.Kdamonds[k].Contexts.Count; c++)
                built.Add((k, c, Source(spec.Kdamonds[k].Contexts[c], memcgs, $"kdamonds[{k}].contexts[{c}]")));
        // damon_start's check before anything is added: a refused context starts none.
        foreach (var (_, _, src) in built)
            DamonCore.CommitCtx(new DamonContext(), src.Context);
        var started = new List<BackendContext>();
        foreach (var (k, c, src) in built)
        {
            var ctx = _sim.AddContext(src.OpsId);
            DamonCore.CommitCtx(ctx, src.Context);
            var place = new BackendContext(k, c, src.OpsId);
            _entries.Add(new Entry(place, ctx, memcgs));
            started.Add(place);
        }
        _sim.Start();
        return started;
    }

    public IReadOnlyList<BackendContext> Start(IReadOnlyList<ContextRequest> contexts, bool exclusive)
    {
        var ctxs = new List<DamonContext>();
        foreach (var req in contexts)
        {
            var src = req.Built;
            Engine.Registry.Select(src.Context, src.OpsId);
            ulong seed = Machine.Seed ^ (0x9E37_79B9_7F4A_7C15UL * (ulong)(_entries.Count + ctxs.Count + 1));
            var ctx = new DamonContext(seed) { Metrics = Machine };
            Engine.Registry.Select(ctx, src.OpsId);
            DamonCore.CommitCtx(ctx, src.Context);
            ctxs.Add(ctx);
        }
        var kdamonds = Engine.Start(ctxs, exclusive);
        var started = new List<BackendContext>();
        for (int i = 0; i < kdamonds.Count; i++)
            started.Add(RunStarted(kdamonds[i], contexts[i].Built.OpsId, contexts[i].Name ?? kdamonds[i].Name));
        return started;
    }

    public BackendContext RunStarted(Kdamond kdamond, OperationsId ops, string name)
    {
        int k = _entries.Count == 0 ? 0 : _entries.Max(e => e.Place.KdamondIdx) + 1;
        var place = new BackendContext(k, 0, ops, name);
        _sim.AddStarted(kdamond);
        _entries.Add(new Entry(place, kdamond.Ctx, null));
        return place;
    }

    /// <summary>The staged context of a spec, with this machine's operations set selected as sysfs does before committing.</summary>
    private EngineContext Source(ContextSpec spec, IMemcgResolver memcgs, string path)
    {
        var built = ContextMapping.ToEngine(spec, memcgs, Machine.Seed, path);
        Engine.Registry.Select(built.Context, built.OpsId);
        return built;
    }

    public RunEnd Run(RunLimit limit, CancellationToken cancel)
    {
        if (!_stop.TryEnterRun())
            return new RunEnd(RunEndReason.Stopped, NowUs);
        ulong endUs = limit.EndUs(NowUs);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        var reason = RunEndReason.LimitReached;
        try
        {
            _sim.Start();
            while (_sim.NowUs < endUs)
            {
                if (_sim.WorkloadFinished)
                {
                    WorkloadFinishedUs = _sim.NowUs;
                    reason = RunEndReason.TargetsGone;
                    break;
                }
                linked.Token.ThrowIfCancellationRequested();
                _sim.RunUntil(Math.Min(endUs, _sim.NowUs + SliceUs), linked.Token);
                SliceEnded?.Invoke(new RunSlice(_sim.NowUs, _sim.NowUs >= endUs || _sim.WorkloadFinished));
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            reason = _stop.Requested ? RunEndReason.Stopped : RunEndReason.Cancelled;
        }
        finally
        {
            _stop.LeaveRun();
        }
        return new RunEnd(reason, NowUs);
    }

    public Task Commit(KdamondsSpec spec, IMemcgResolver? memcgs = null)
    {
        var tasks = new List<Task>();
        for (int k = 0; k < spec.Kdamonds.Count; k++)
        {
            for (int c = 0; c < spec.Kdamonds[k].Contexts.Count; c++)
            {
                string path = $"kdamonds[{k}].contexts[{c}]";
                var entry = _entries.FirstOrDefault(e => e.Place.KdamondIdx == k && e.Place.ContextIdx == c)
                    ?? throw new DamonException(Errno.EINVAL, $"{path}: no such context runs");
                var src = Source(spec.Kdamonds[k].Contexts[c], memcgs ?? entry.Memcgs ?? new MemcgPathTable(), path);
                if (KdamondOf(entry.Ctx) is { Finished: false } kd)
                {
                    tasks.Add(kd.Call(ctx => DamonCore.CommitCtx(ctx, src.Context)).Task);
                }
                else
                {
                    try
                    {
                        DamonCore.CommitCtx(entry.Ctx, src.Context);
                        tasks.Add(Task.CompletedTask);
                    }
                    catch (DamonException e)
                    {
                        tasks.Add(Task.FromException(e));
                    }
                }
            }
        }
        return Task.WhenAll(tasks);
    }

    public void Stop() => _stop.Request();

    private void StopKdamonds()
    {
        // kthread_stop semantics: each kdamond finishes the iteration it is in, which may still
        // aggregate; those events arrive, none after this returns.
        _sim.Stop();
        Volatile.Write(ref _eventsClosed, true);
    }

    public void Dispose() => _stop.Dispose();

    public KdamondsSpec Status(bool triedRegions, CancellationToken cancel)
    {
        var tried = new Dictionary<DamonContext, DamosTriedRegionsUpdate>(ReferenceEqualityComparer.Instance);
        if (triedRegions)
        {
            foreach (var e in _entries)
            {
                // Without schemes the walk would only be cancelled: nothing to wait for.
                if (e.Ctx.Schemes.Count == 0 || KdamondOf(e.Ctx) is not { Running: true } k)
                    continue;
                try
                {
                    tried[e.Ctx] = DamosTriedRegionsUpdate.Start(k);
                }
                catch (DamonException)
                {
                    // -EBUSY or -ECANCELED: sysfs leaves the directories empty, and so does the status.
                }
            }
            RunUntilWalksEnd(tried, cancel);
            // A cancelled walk leaves what it gathered; its -ECANCELED is expected, not an error.
            foreach (var u in tried.Values)
                _ = u.Task.Exception;
        }
        return EngineStatus.Capture(_entries.Select(e => new EngineStatusEntry(e.Place, e.Ctx,
            KdamondOf(e.Ctx) is { Running: true }, e.Memcgs, tried.GetValueOrDefault(e.Ctx))));
    }

    private Kdamond? KdamondOf(DamonContext ctx) => _sim.Kdamonds.FirstOrDefault(k => ReferenceEquals(k.Ctx, ctx));

    /// <summary>
    /// Step simulated time one sample interval at a time until every walk completed or was
    /// cancelled. A walk always ends within an apply round of each scheme (or a watermark check
    /// that cancels it); the bound only guards against a loop that never gets there.
    /// </summary>
    private void RunUntilWalksEnd(Dictionary<DamonContext, DamosTriedRegionsUpdate> tried, CancellationToken cancel)
    {
        if (tried.Count == 0)
            return;
        ulong limitUs = _sim.NowUs + tried.Keys.Max(WalkBoundUs);
        while (tried.Values.Any(u => !u.Task.IsCompleted) && _sim.NowUs < limitUs)
        {
            ulong stepUs = Math.Max(1, tried.Keys.Min(c => c.Attrs.SampleIntervalUs));
            _sim.RunUntil(Math.Min(limitUs, _sim.NowUs + stepUs), cancel);
        }
    }

    /// <summary>Twice the longest apply interval and watermark check of the context, plus a second.</summary>
    private static ulong WalkBoundUs(DamonContext ctx)
    {
        ulong longestUs = ctx.Attrs.AggrIntervalUs;
        foreach (var s in ctx.Schemes)
            longestUs = Math.Max(longestUs, Math.Max(s.ApplyIntervalUs, s.Wmarks.IntervalUs));
        return 2 * longestUs + 1_000_000;
    }

    public NodeMetrics Nodes() => SimNodeMetrics.Of(Machine);

    public ProcessNodeUsage? ProcessUsage(int pid) =>
        Machine.TryGetProcess(pid) is { } p ? SimNodeMetrics.Of(Machine, p) : null;

    private void OnSnapshot(DamonContext ctx, ulong nowUs)
    {
        if (Aggregated is not { } handlers || Volatile.Read(ref _eventsClosed))
            return;
        foreach (var e in _entries)
        {
            if (ReferenceEquals(e.Ctx, ctx))
            {
                handlers(EngineSnapshot.Capture(e.Place, ctx, nowUs));
                return;
            }
        }
    }
}
