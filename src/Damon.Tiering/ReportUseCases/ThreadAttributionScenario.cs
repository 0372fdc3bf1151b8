using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Running;

namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// Use case (3): per-thread monitoring tells which thread owns which hot memory. One vaddr context
/// per thread, each with the page-fault primitive and one `allow threads [tid]` sample filter
/// (damo's <c>--exp_ops_tids</c>), so a context counts only faults its thread took; the regions a
/// context sees hot are attributed to its thread and scored against the workload's ranges.
/// </summary>
public static class ThreadAttributionScenario
{
    public static ThreadAttributionResult Run(ThreadAttributionOptions o, CancellationToken cancel = default)
    {
        o.Validate();
        var w = new ThreadRangesWorkload(o.NrThreads, o.HotBytes, o.ColdBytes, o.HotShare, o.WriteShare, o.ComputeNsPerAccess);
        // No caches: each thread's 8 MiB hot range fits its TLB's reach, so after the first mkold
        // its accessed bits would stay clear (docs/simulator.md, "Caches and TLBs") and the cold
        // range's TLB misses would look hotter; this study is about attributing samples to threads.
        var sim = new Simulation(MachineSpec.DefaultTwoTier(1UL << 30, 1UL << 30) with { Caches = false }, w, o.Seed);
        sim.Machine.DamonFaults.ClearStaleMarks = o.ClearStaleMarks;
        var threadOf = new Dictionary<DamonContext, int>();
        for (int i = 0; i < o.NrThreads; i++)
        {
            var ctx = sim.AddContext(OperationsId.Vaddr, PageFaultAttrs.With(
                new(DamonSampleFilterType.Threads, Matching: true, Allow: true) { TidArr = [w.Tids[i]] }) with { MinNrRegions = o.MinNrRegions });
            sim.AddVaddrTarget(ctx, w.Pid);
            threadOf[ctx] = i;
        }

        ulong attributed = 0, correct = 0, truth = 0;
        int windows = 0;
        sim.Snapshot += (c, nowUs) =>
        {
            if (nowUs < o.WarmupUs)
                return;
            windows++;
            var (hs, he) = w.HotRange(threadOf[c]);
            truth += he - hs;
            for (var r = c.Targets[0].FirstRegion; r is not null; r = r.NextRegion)
            {
                if (r.NrAccesses < o.HotMinNrAccesses)
                    continue;
                attributed += r.Size;
                ulong lo = Math.Max(r.Start, hs), hi = Math.Min(r.End, he);
                if (hi > lo)
                    correct += hi - lo;
            }
        };
        sim.RunFor(o.DurationUs, cancel);
        sim.Stop();
        return new ThreadAttributionResult(attributed, correct, truth, windows);
    }
}
