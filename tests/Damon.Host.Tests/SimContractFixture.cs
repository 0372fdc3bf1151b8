using Damon.Host.Contract;
using Damon.Host.Sim;
using Damon.Sim.Machine;
using Damon.Sim.Workloads.Catalog;
using Damon.Sim.Workloads.Gups;

namespace Damon.Host.Tests;

/// <summary>
/// The contract's test bed on the simulator: the default two-tier machine, and the hot/cold
/// workload as GUPS (one thread, the hot set at the start of its field), seed 42. GUPS first
/// touches every page from a CPU of node 0, so only <c>StartNode = 0</c> is offered.
/// </summary>
public sealed class SimContractFixture : IContractFixture
{
    public string Name => "sim";
    public ulong TimeSlackUs => 0;
    public ContractIntervals Intervals { get; } = new(5_000, 100_000);
    // The stopped kdamond finishes its iteration, which can end an aggregation window.
    public int MaxEventsAfterStop => 1;

    public ContractTarget Start(HotColdWorkload w)
    {
        if (w.StartNode != 0)
            throw new NotSupportedException("the simulated GUPS first-touches on node 0, the CPU's node");
        string spec = $"gups:size={w.SizeBytes},hot={w.HotBytes},threads=1" + (w.LifetimeUs is ulong us ? $",duration={us}us" : "");
        // The flat model: the contract's 8 MiB hot set fits a TLB's reach, and with caches on its
        // accessed bits would stay clear after the first mkold (docs/simulator.md, "Caches and TLBs").
        var machine = MachineSpec.DefaultTwoTier() with { Caches = false };
        var workload = (GupsWorkload)WorkloadCatalog.Create(spec);
        var backend = new SimBackend(new SimBackendOptions(machine, workload, Seed: 42));
        var (hotStart, hotEnd) = workload.HotRange(0);
        ulong total = machine.Nodes.Aggregate(0UL, (a, n) => a + n.CapacityBytes);
        return new ContractTarget(backend, backend.WorkloadPids.Single(), workload.FieldStart, workload.FieldStart + w.SizeBytes,
            hotStart, hotEnd, total);
    }
}
