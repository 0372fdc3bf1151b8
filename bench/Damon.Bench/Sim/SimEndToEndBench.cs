using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Sim.Workloads.Gups;

namespace Damon.Bench.Sim;

/// <summary>
/// Issue 14 part 1, end to end: 100 ms of simulated time of a GUPS process (one thread, 10 % hot
/// set, HeMem's gups.c pattern) over <see cref="FootprintGiB"/>, every page resident, with one
/// vaddr context at the kernel's default attributes (5 ms / 100 ms, 10–1,000 regions) or without
/// DAMON (the bare loop at the same footprint). The cleanup prints the accesses per invocation
/// and the context's regions, so that
/// accesses/s = accesses per invocation / Mean, and
/// engine ns per region per sample = (Mean(monitored) − Mean(bare)) / (20 samples × regions).
/// Targets: ≥ 50 M accesses/s at 100 GiB monitored, monitored ≥ 0.5 of bare.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SimEndToEndBench
{
    private const ulong StepUs = 100_000;
    private Simulation _sim = null!;
    private DamonContext? _ctx;
    private ulong _accessesAtStart, _invocations;
    private double _regionsSum;

    [Params(1UL, 10UL, 100UL)]
    public ulong FootprintGiB { get; set; }

    [Params(false, true)]
    public bool Monitored { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sim = NewSimulation(FootprintGiB, Monitored, out _ctx);
        _accessesAtStart = NrAccesses(_sim);
    }

    /// <summary>The measured set-up, shared with <see cref="SimCpuProbe"/>: populated, then a second of updates so the regions have settled.</summary>
    public static Simulation NewSimulation(ulong footprintGiB, bool monitored, out DamonContext? ctx)
    {
        ulong bytes = footprintGiB << 30;
        var spec = MachineSpec.DefaultTwoTier(bytes + (1UL << 30), 1UL << 30) with { LinuxDefault = false };
        var sim = new Simulation(spec, new GupsWorkload(new GupsOptions { SizeBytes = bytes, HotBytes = bytes / 10 }), seed: 1, batchSize: 4096);
        ctx = null;
        if (monitored)
        {
            ctx = sim.AddContext(OperationsId.Vaddr, MonitoringAttrs.Default);
            sim.AddVaddrTarget(ctx, sim.Machine.Processes[0].Pid);
        }
        sim.RunFor(1_000_000);
        while (NrAccesses(sim) <= bytes >> 12)
            sim.RunFor(1_000_000);
        sim.RunFor(1_000_000);
        return sim;
    }

    public static ulong NrAccesses(Simulation sim)
    {
        ulong n = 0;
        foreach (var th in sim.Machine.Threads) n += th.NrAccesses;
        return n;
    }

    [Benchmark]
    public void HundredMsSimulated()
    {
        _sim.RunFor(StepUs);
        _invocations++;
        if (_ctx is not null)
            _regionsSum += _ctx.Targets[0].NrRegions;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_invocations == 0) return;
        double perInvocation = (NrAccesses(_sim) - _accessesAtStart) / (double)_invocations;
        Console.WriteLine($"// {FootprintGiB} GiB, monitored {Monitored}: {perInvocation:F0} accesses per invocation" +
            (_ctx is null ? "" : $", {_regionsSum / _invocations:F1} regions on average"));
    }
}
