using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Sim.Workloads;

namespace Damon.Sim.Bench;

/// <summary>
/// A <see cref="Simulation"/> with one vaddr context whose host CPU is split in two: the
/// workload's share (the world advancing) and the rest, which is the kdamond's own work
/// (sampling, aggregation, split/merge, tuning) plus whatever the caller's callbacks did. Both on
/// the thread's CPU clock, so other processes on the host do not count. The benchmarks that report
/// an engine cost (accuracy, primitive overhead) share it, so they measure the same thing.
/// </summary>
internal sealed class TimedVaddrRun
{
    private readonly TimedWorld _world;
    private readonly Func<long> _cpuNs;
    private long _runNs, _worldInRunNs;

    /// <summary>The machine is built and the workload set up; add targets and callbacks to <see cref="Ctx"/> before <see cref="Start"/>.</summary>
    /// <param name="ops">Replaces the registered vaddr operations (a variant of them), given the machine.</param>
    public TimedVaddrRun(MachineSpec spec, IWorkload workload, MonitoringAttrs attrs, ulong seed,
        Func<SimMachine, DamonOperations>? ops = null)
        : this(spec, workload, attrs, seed, ThreadCpuClock.NowNs, ops)
    {
    }

    /// <summary>With the CPU clock given (tests count its reads).</summary>
    internal TimedVaddrRun(MachineSpec spec, IWorkload workload, MonitoringAttrs attrs, ulong seed, Func<long> cpuNs,
        Func<SimMachine, DamonOperations>? ops = null)
    {
        _cpuNs = cpuNs;
        TimedWorld? world = null;
        Sim = new Simulation(spec, workload, seed, world: w => world = new TimedWorld(w, cpuNs));
        _world = world!;
        Ctx = Sim.AddContext(OperationsId.Vaddr, attrs);
        if (ops is not null)
            Ctx.Ops = ops(Sim.Machine);
    }

    public Simulation Sim { get; }
    public SimMachine Machine => Sim.Machine;
    public DamonContext Ctx { get; }
    public ulong NowUs => Sim.NowUs;

    /// <summary>Thread CPU of every <see cref="RunUntil"/> so far.</summary>
    public long RunNs => _runNs;

    /// <summary>
    /// The part of <see cref="RunNs"/> spent running the workload. Only world time inside a
    /// <see cref="RunUntil"/> counts: the world advanced anywhere else (a stop that advanced it to
    /// the kdamonds' next wake, a caller driving <see cref="Sim"/> directly) is in neither share,
    /// so the engine's share cannot go negative. (The 1 TiB tuned accuracy run printed −3.61 ms/sim s
    /// when the stop's world advance was counted as the machine's but not the run's.)
    /// </summary>
    public long WorldNs => _worldInRunNs;

    public void Start() => Sim.Start();

    public void RunUntil(ulong endUs, CancellationToken cancel = default)
    {
        long world0 = _world.Ns;
        long t0 = _cpuNs();
        try
        {
            Sim.RunUntil(endUs, cancel);
        }
        finally
        {
            _runNs += _cpuNs() - t0;
            _worldInRunNs += _world.Ns - world0;
        }
    }

    /// <summary>
    /// The engine's CPU: run time minus the workload's, minus <paramref name="callerNs"/> that the
    /// caller measured inside its own callbacks (scoring is not DAMON's cost).
    /// </summary>
    public long EngineNs(long callerNs = 0) => _runNs - _worldInRunNs - callerNs;

    public void Stop() => Sim.Stop();
}
