using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Sim.Workloads.Gups;

namespace Damon.Bench.Sim;

/// <summary>
/// Issue 14 part 1: one sampling-only kdamond iteration (prepare_access_checks + check_accesses
/// and the loop's bookkeeping) through the simulator's own operations sets, SimVaddrOperations
/// or SimPaddrOperations, at 1,000 regions over a footprint of <see cref="FootprintGiB"/> whose
/// every page is resident (a GUPS process populated, then stopped), as users run it. The world
/// does not advance between samples (the workload has ended), so this is the engine plus the
/// operations' page-table and frame lookups, spread over the whole footprint as the sampling
/// addresses are. Per region per sample = mean / 1,000; the target is ≤ 50 ns.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SimOpsSamplingBench
{
    public const int NrRegions = 1000;
    private Simulation _sim = null!;

    [Params(1UL, 10UL, 100UL)]
    public ulong FootprintGiB { get; set; }

    [Params("vaddr", "paddr")]
    public string Ops { get; set; } = "vaddr";

    [GlobalSetup]
    public void Setup() => _sim = NewSimulation(FootprintGiB, Ops, out _);

    /// <summary>The measured set-up, shared with <see cref="SimCpuProbe"/>: the workload has ended, the context is sampling.</summary>
    public static Simulation NewSimulation(ulong footprintGiB, string ops, out DamonContext ctx)
    {
        ulong bytes = footprintGiB << 30;
        // Everything on node 0 with room to spare: no reclaim, no demotion during the set-up.
        var spec = MachineSpec.DefaultTwoTier(bytes + (1UL << 30), 1UL << 30) with { LinuxDefault = false };
        // UpdatesPerThread 1: the populate pass, one update, then the thread ends and the world is idle.
        var gups = new GupsWorkload(new GupsOptions { SizeBytes = bytes, HotBytes = bytes / 10, UpdatesPerThread = 1 });
        var sim = new Simulation(spec, gups, seed: 1, batchSize: 4096);
        // An aggregation interval of ~11 days keeps every measured iteration a sampling-only one.
        var attrs = MonitoringAttrs.Default with
        {
            AggrIntervalUs = 1_000_000_000_000, OpsUpdateIntervalUs = 1_000_000_000_000,
            MinNrRegions = NrRegions, MaxNrRegions = NrRegions,
        };
        ctx = sim.AddContext(ops == "vaddr" ? OperationsId.Vaddr : OperationsId.Paddr, attrs);
        if (ops == "vaddr")
            sim.AddVaddrTarget(ctx, sim.Machine.Processes[0].Pid);
        else
            sim.AddPaddrTarget(ctx);
        while (!sim.WorkloadFinished)
            sim.RunFor(1_000_000);
        return sim;
    }

    /// <summary>One kdamond wake: the world advances 5 ms of an idle machine, then one sample.</summary>
    [Benchmark(OperationsPerInvoke = NrRegions)]
    public void SamplingStepPerRegion() => _sim.Driver.Step();
}
