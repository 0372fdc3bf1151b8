using Damon.Core.Drivers;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;

namespace Damon.Sim.Running;

/// <summary>
/// A machine, a workload and any number of DAMON contexts, run together in simulated time and
/// deterministic from the seed:
/// <code>
/// var sim = new Simulation(MachineSpec.DefaultTwoTier(), workload, seed: 42);
/// var ctx = sim.AddContext(OperationsId.Vaddr);
/// sim.AddVaddrTarget(ctx, pid: 1);
/// sim.Snapshot += (c, nowUs) => ...;   // every aggregation interval
/// sim.RunFor(10_000_000);               // 10 s of simulated time
/// </code>
/// </summary>
public sealed class Simulation
{
    private readonly List<DamonContext> _contexts = [];
    private readonly List<Kdamond> _kdamonds = [];

    /// <param name="world">
    /// Wraps the runner as the world the driver advances (a benchmark's timer around the
    /// workload's share); null: the runner itself.
    /// </param>
    public Simulation(MachineSpec spec, IWorkload workload, ulong seed = 1, int batchSize = 256, Func<IVirtualWorld, IVirtualWorld>? world = null)
    {
        Machine = new SimMachine(spec, seed);
        Workload = workload;
        workload.Setup(Machine);
        Runner = new SimRunner(Machine, workload, batchSize);
        Driver = new VirtualTimeDriver(world is null ? Runner : world(Runner));
        Engine = new DamonEngine();
        Engine.Registry.Register(new SimVaddrOperations(Machine));
        Engine.Registry.Register(new SimVaddrOperations(Machine, fixedRanges: true));
        Engine.Registry.Register(new SimPaddrOperations(Machine));
    }

    public SimMachine Machine { get; }
    public IWorkload Workload { get; }
    public SimRunner Runner { get; }
    public VirtualTimeDriver Driver { get; }
    public DamonEngine Engine { get; }
    public IReadOnlyList<DamonContext> Contexts => _contexts;
    public IReadOnlyList<Kdamond> Kdamonds => _kdamonds;
    public bool Started { get; private set; }
    public ulong NowUs => Driver.NowUs;
    public bool WorkloadFinished => Runner.AllThreadsFinished;

    /// <summary>Raised at every aggregation boundary of every context (damon_aggregated), with the simulated time.</summary>
    public event Action<DamonContext, ulong>? Snapshot;

    /// <summary>
    /// A context on this machine: the operations set selected, the machine as metrics provider,
    /// and its own generator seeded from the simulation seed and the context's index.
    /// </summary>
    public DamonContext AddContext(OperationsId ops, MonitoringAttrs? attrs = null)
    {
        if (Started)
            throw new InvalidOperationException("add contexts before the simulation starts");
        ulong seed = Machine.Seed ^ (0x9E37_79B9_7F4A_7C15UL * (ulong)(_contexts.Count + 1));
        var ctx = new DamonContext(seed);
        Engine.Registry.Select(ctx, ops);
        if (attrs is not null)
            DamonCore.SetAttrs(ctx, attrs);
        ctx.Metrics = Machine;
        _contexts.Add(ctx);
        return ctx;
    }

    /// <summary>Monitor process <paramref name="pid"/> (vaddr: regions come from its VMAs at start).</summary>
    public Target AddVaddrTarget(DamonContext ctx, int pid)
    {
        Machine.Process(pid);
        var t = new Target(pid);
        ctx.AddTarget(t);
        return t;
    }

    /// <summary>
    /// Monitor physical memory from the first to the last byte of System RAM, in core address
    /// units (damon_set_region_system_rams_default).
    /// </summary>
    public Target AddPaddrTarget(DamonContext ctx)
    {
        var (start, end) = Machine.SystemRamRange();
        var t = new Target();
        ctx.AddTarget(t);
        DamonCore.SetRegions(t, [new AddrRange(start / ctx.AddrUnit, end / ctx.AddrUnit)], ctx.MinRegionSz);
        return t;
    }

    /// <summary>damon_start for every context; monitoring begins at the current simulated time.</summary>
    public void Start()
    {
        if (Started)
            return;
        Started = true;
        if (_contexts.Count == 0)
            return;
        foreach (var ctx in _contexts)
        {
            var user = ctx.Aggregated;
            ctx.Aggregated = c =>
            {
                user?.Invoke(c);
                Snapshot?.Invoke(c, Driver.NowUs);
            };
        }
        foreach (var k in Engine.Start(_contexts, exclusive: false))
        {
            _kdamonds.Add(k);
            Driver.Add(k, new ChargedClock(Driver.Clock, Machine, k.Ctx));
        }
    }

    /// <summary>
    /// Run a kdamond something else started on <see cref="Engine"/> (a module's damon_start) in
    /// this simulation's time, its context's aggregations raising <see cref="Snapshot"/> too.
    /// </summary>
    public void AddStarted(Kdamond k)
    {
        var user = k.Ctx.Aggregated;
        k.Ctx.Aggregated = c =>
        {
            user?.Invoke(c);
            Snapshot?.Invoke(c, Driver.NowUs);
        };
        _kdamonds.Add(k);
        Driver.Add(k, new ChargedClock(Driver.Clock, Machine, k.Ctx));
    }

    /// <summary>
    /// Run <paramref name="durationUs"/> of simulated time (starting the contexts first if needed).
    /// A cancelled <paramref name="cancel"/> stops the run between two kdamond iterations or two
    /// workload batches with <see cref="OperationCanceledException"/>.
    /// </summary>
    public void RunFor(ulong durationUs, CancellationToken cancel = default)
    {
        Start();
        Driver.RunFor(durationUs, cancel);
    }

    public void RunUntil(ulong endUs, CancellationToken cancel = default)
    {
        Start();
        Driver.RunUntil(endUs, cancel);
    }

    /// <summary>damon_stop for every kdamond; the workload state stays for inspection.</summary>
    public void Stop() => Driver.StopAll();
}
