using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Workloads;

namespace Damon.Sim.Bench;

/// <summary>One monitored run's cost: on the workload (simulated) and on the host (the engine's thread CPU).</summary>
public sealed record PrimitiveOverheadResult
{
    public required string Primitive { get; init; }
    public double SimulatedS { get; init; }
    public ulong NrAccesses { get; init; }
    /// <summary>The workload's simulated time (compute + memory + stalls) per access.</summary>
    public double NsPerAccess { get; init; }
    public ulong NrDamonFaults { get; init; }
    public ulong FaultStallNs { get; init; }
    public int NrRegions { get; init; }
    /// <summary>Thread CPU of the run minus the part spent advancing the workload: sampling, folding, aggregation, split/merge.</summary>
    public double EngineCpuMs { get; init; }
    public double WorldCpuMs { get; init; }
    /// <summary>thread_cputime, or wall where the OS has no per-thread CPU clock.</summary>
    public required string CpuClock { get; init; }
}

/// <summary>
/// Issue 13 part 7: the same seeded workload monitored by one vaddr context per process with the
/// page_table primitive (accessed bits) or the page_fault primitive (the RFC's PROT_NONE faults),
/// nothing else running on the simulated machine. Simulated figures are deterministic; the engine's
/// CPU time is measured with the thread's CPU clock around the run, minus the workload's share.
/// </summary>
public static class PrimitiveOverheadBench
{
    public static PrimitiveOverheadResult Run(MachineSpec spec, Func<IWorkload> workload, MonitoringAttrs attrs, bool pageFault, bool clearStaleMarks, ulong durationUs, ulong seed)
    {
        var run = new TimedVaddrRun(spec, workload(), pageFault
            ? attrs with { SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true) } }
            : attrs, seed);
        var machine = run.Machine;
        machine.DamonFaults.ClearStaleMarks = clearStaleMarks;
        var targets = machine.Processes.Select(p => new Target(p.Pid)).ToList();
        foreach (var t in targets)
            run.Ctx.AddTarget(t);
        run.Start();
        run.RunUntil(durationUs);
        int nrRegions = targets.Sum(t => t.NrRegions);
        run.Stop();

        ulong accesses = 0, timeNs = 0;
        foreach (var th in machine.Threads)
        {
            accesses += th.NrAccesses;
            timeNs += th.BusyNs;
        }
        return new PrimitiveOverheadResult
        {
            Primitive = pageFault ? "page_fault" : "page_table",
            SimulatedS = durationUs / 1e6,
            NrAccesses = accesses,
            NsPerAccess = accesses == 0 ? 0 : (double)timeNs / accesses,
            NrDamonFaults = machine.DamonFaults.NrFaults,
            FaultStallNs = machine.DamonFaults.FaultStallNs,
            NrRegions = nrRegions,
            EngineCpuMs = run.EngineNs() / 1e6,
            WorldCpuMs = run.WorldNs / 1e6,
            CpuClock = ThreadCpuClock.Name,
        };
    }
}
