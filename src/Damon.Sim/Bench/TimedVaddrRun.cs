using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Sim.Running;
using Damon.Sim.Workloads;

namespace Damon.Sim.Bench;

/// <summary>
/// One vaddr context over a simulated machine's workload, run in virtual time with the host CPU it
/// costs split in two: the workload's share (the world advancing) and the rest, which is the
/// kdamond's own work (sampling, aggregation, split/merge, tuning) plus whatever the caller's
/// callbacks did. Both on the thread's CPU clock, so other processes on the host do not count.
/// The benchmarks that report an engine cost (accuracy, primitive overhead) share it, so they
/// measure the same thing.
/// </summary>
internal sealed class TimedVaddrRun
{
    private readonly TimedWorld _world;
    private readonly DamonEngine _engine = new();
    private readonly SimMachine _machine;
    private long _runNs;

    public TimedVaddrRun(SimMachine machine, IWorkload workload, MonitoringAttrs attrs, ulong seed)
    {
        _machine = machine;
        _world = new TimedWorld(new SimRunner(machine, workload));
        Driver = new VirtualTimeDriver(_world);
        _engine.Registry.Register(new SimVaddrOperations(machine));
        // The context's own generator, apart from the machine's (seeded with the same run seed).
        Ctx = new DamonContext(seed ^ 0x9E37_79B9_7F4A_7C15UL);
        _engine.Registry.Select(Ctx, OperationsId.Vaddr);
        DamonCore.SetAttrs(Ctx, attrs);
        Ctx.Metrics = machine;
    }

    public DamonContext Ctx { get; }
    public VirtualTimeDriver Driver { get; }

    /// <summary>Thread CPU of every <see cref="RunUntil"/> so far.</summary>
    public long RunNs => _runNs;

    /// <summary>The part of <see cref="RunNs"/> spent running the workload.</summary>
    public long WorldNs => _world.Ns;

    /// <summary>Start the kdamond; add targets and callbacks to <see cref="Ctx"/> first.</summary>
    public void Start()
    {
        foreach (var k in _engine.Start([Ctx], exclusive: false))
            Driver.Add(k, new ChargedClock(Driver.Clock, _machine, Ctx));
    }

    public void RunUntil(ulong endUs, CancellationToken cancel = default)
    {
        long t0 = ThreadCpuClock.NowNs();
        try
        {
            Driver.RunUntil(endUs, cancel);
        }
        finally
        {
            _runNs += ThreadCpuClock.NowNs() - t0;
        }
    }

    /// <summary>
    /// The engine's CPU: run time minus the workload's, minus <paramref name="callerNs"/> that the
    /// caller measured inside its own callbacks (scoring is not DAMON's cost).
    /// </summary>
    public long EngineNs(long callerNs = 0) => _runNs - _world.Ns - callerNs;

    public void Stop() => Driver.StopAll();
}
