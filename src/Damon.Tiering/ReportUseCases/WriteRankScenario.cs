using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;

namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// Use case (2): write-only monitoring names the best live-migration candidate. One vaddr context
/// watches every process (one target each) with the page-fault primitive and one `allow write`
/// sample filter (damo's <c>--exp_ops_write_only y</c>), so a region counts a sample only when a
/// store took its protected page. The page-fault primitive, not the PMU sampler, because it is the
/// RFC's own source and the workload's stores are plain stores to pages it does not read, so each
/// fault's write flag is the truth (a read-modify-write would fault on its read).
/// <para>
/// Estimate: a region whose sampling page faulted in a share f of the aggregation's samples saw,
/// if its stores fall uniformly on its pages, λ = −ln(1 − f) stores per page per sample interval
/// (Poisson arrivals; f is capped at 1 − 1/(2·samples) so a region faulting every sample stays
/// finite); its bytes written per second are pages × λ × 64 / sample interval. Summed over a
/// target's regions and averaged over the scored aggregations.
/// </para>
/// </summary>
public static class WriteRankScenario
{
    public const ulong StoreBytes = 64;

    public static WriteRankResult Run(WriteRankOptions o, CancellationToken cancel = default)
    {
        o.Validate();
        var w = new WriterProcessesWorkload(o.Writers, o.ReadBytes, o.ComputeNsPerAccess);
        // One thread per process on CPUs 0.. of the default machine's one socket; all memory on DRAM.
        var spec = MachineSpec.DefaultTwoTier(1UL << 30, 1UL << 30);
        var sim = new Simulation(spec, w, o.Seed);
        sim.Machine.DamonFaults.ClearStaleMarks = o.ClearStaleMarks;
        var ctx = sim.AddContext(OperationsId.Vaddr, PageFaultAttrs.With(new(DamonSampleFilterType.Write, Matching: true, Allow: true)));
        foreach (int pid in w.Pids)
            sim.AddVaddrTarget(ctx, pid);

        var sums = new double[w.Pids.Length];
        int windows = 0;
        sim.Snapshot += (c, nowUs) =>
        {
            if (nowUs < o.WarmupUs)
                return;
            windows++;
            for (int i = 0; i < c.Targets.Count; i++)
                sums[i] += EstimateBytesPerS(c, c.Targets[i]);
        };
        sim.RunFor(o.DurationUs, cancel);
        sim.Stop();

        var entries = new List<WriteRankEntry>();
        for (int i = 0; i < w.Pids.Length; i++)
        {
            var th = sim.Machine.Threads.Single(t => t.Process.Pid == w.Pids[i]);
            double trueRate = th.ClockNs == 0 ? 0 : w.NrWrites[i] * (double)StoreBytes / (th.ClockNs / 1e9);
            entries.Add(new WriteRankEntry(o.Writers[i].Name, w.Pids[i], trueRate, windows == 0 ? 0 : sums[i] / windows));
        }
        return new WriteRankResult(
            [.. entries.OrderByDescending(e => e.TrueBytesPerS).Select(e => e.Name)],
            [.. entries.OrderByDescending(e => e.DamonBytesPerS).Select(e => e.Name)],
            entries, windows);
    }

    /// <summary>The estimate above for one target at one aggregation (before the reset).</summary>
    public static double EstimateBytesPerS(DamonContext ctx, Target t)
    {
        double samples = (double)ctx.Attrs.AggrIntervalUs / ctx.Attrs.SampleIntervalUs;
        double maxF = 1 - 1 / (2 * samples);
        double storesPerSample = 0;
        for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
        {
            double f = Math.Min(r.NrAccesses / samples, maxF);
            storesPerSample += (double)r.Size / PageSizes.PageSize * -Math.Log(1 - f);
        }
        return storesPerSample * StoreBytes / (ctx.Attrs.SampleIntervalUs / 1e6);
    }
}
