using Damon.Sim.Bench;

namespace Damon.Bench.Sim;

/// <summary>
/// The two simulator benchmarks' set-ups timed on the thread's CPU clock instead of the wall
/// clock: on a machine shared with other builds (load averages of 20–40 on 2 cores here)
/// BenchmarkDotNet's wall-clock means mostly measure the wait for a core. Run as
/// <c>Damon.Bench cpu-probe sampling 1,10,100 vaddr,paddr</c>, <c>Damon.Bench cpu-probe e2e 1,10,100 10</c>
/// or <c>Damon.Bench cpu-probe gups 1,16 2000</c> (<see cref="GupsAccessBench.Machine"/>, hot sets in MiB).
/// </summary>
public static class SimCpuProbe
{
    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("damon: cpu-probe: usage: cpu-probe sampling SIZES_GIB OPS | cpu-probe e2e SIZES_GIB NR_100MS_STEPS");
            return 2;
        }
        var sizes = args[1].Split(',').Select(ulong.Parse).ToArray();
        if (args[0] == "sampling")
            Sampling(sizes, args[2].Split(','));
        else if (args[0] == "gups")
            Gups(sizes, int.Parse(args[2]));
        else
            EndToEnd(sizes, int.Parse(args[2]));
        return 0;
    }

    /// <summary>
    /// GupsAccessBench.Machine per access, caches off and on, on the thread's CPU clock: the best of
    /// five rounds of <paramref name="nrBatches"/> batches (the least disturbed by other processes
    /// on a shared machine).
    /// </summary>
    private static void Gups(ulong[] hotMiB, int nrBatches)
    {
        foreach (ulong mib in hotMiB)
        foreach (bool caches in new[] { false, true })
        {
            var b = new GupsAccessBench { HotSetBytes = mib << 20, Caches = caches };
            b.Setup();
            for (int i = 0; i < nrBatches / 4; i++) b.Machine();
            double best = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                long t0 = ThreadCpuClock.NowNs();
                for (int i = 0; i < nrBatches; i++) b.Machine();
                best = Math.Min(best, (ThreadCpuClock.NowNs() - t0) / ((double)nrBatches * GupsAccessBench.BatchSize));
            }
            Console.WriteLine($"gups {mib} MiB caches {(caches ? "on " : "off")}: {best:F2} ns/access ({ThreadCpuClock.Name})");
        }
    }

    /// <summary>Per region per sample: the whole kdamond step, and its prepare and check alone.</summary>
    private static void Sampling(ulong[] sizes, string[] opsNames)
    {
        const int nrSteps = 2000;
        foreach (ulong gib in sizes)
        foreach (string ops in opsNames)
        {
            var sim = SimOpsSamplingBench.NewSimulation(gib, ops, out var ctx);
            var o = ctx.Ops!;
            for (int i = 0; i < 200; i++) sim.Driver.Step();
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = ThreadCpuClock.NowNs();
            for (int i = 0; i < nrSteps; i++) sim.Driver.Step();
            long stepNs = ThreadCpuClock.NowNs() - t0;
            long allocBytes = GC.GetAllocatedBytesForCurrentThread() - alloc0;
            long prepNs = 0, checkNs = 0;
            for (int i = 0; i < nrSteps; i++)
            {
                long a = ThreadCpuClock.NowNs();
                o.PrepareAccessChecks(ctx);
                long b = ThreadCpuClock.NowNs();
                o.CheckAccesses(ctx);
                checkNs += ThreadCpuClock.NowNs() - b;
                prepNs += b - a;
            }
            double per = (double)nrSteps * ctx.Targets[0].NrRegions;
            Console.WriteLine($"{gib} GiB {ops}: step {stepNs / per:F1} ns/region/sample (prepare {prepNs / per:F1}, check {checkNs / per:F1}), {ctx.Targets[0].NrRegions} regions, " +
                $"{allocBytes / (double)nrSteps:F1} bytes allocated per step ({ThreadCpuClock.Name})");
        }
    }

    /// <summary>Accesses per CPU second, monitored and not, over the same steps of simulated time.</summary>
    private static void EndToEnd(ulong[] sizes, int nrSteps)
    {
        foreach (ulong gib in sizes)
        foreach (bool monitored in new[] { false, true })
        {
            var sim = SimEndToEndBench.NewSimulation(gib, monitored, out var ctx);
            ulong a0 = SimEndToEndBench.NrAccesses(sim);
            double regions = 0;
            long alloc0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = ThreadCpuClock.NowNs();
            for (int i = 0; i < nrSteps; i++)
            {
                sim.RunFor(100_000);
                if (ctx is not null) regions += ctx.Targets[0].NrRegions;
            }
            double cpuS = (ThreadCpuClock.NowNs() - t0) / 1e9;
            long allocBytes = GC.GetAllocatedBytesForCurrentThread() - alloc0;
            ulong n = SimEndToEndBench.NrAccesses(sim) - a0;
            Console.WriteLine($"{gib} GiB monitored={monitored}: {n / cpuS / 1e6:F1} M accesses/s, {n / (double)nrSteps:F0} accesses and {cpuS / nrSteps * 1e3:F1} ms CPU per 100 ms simulated, " +
                $"{regions / nrSteps:F0} regions, {allocBytes / (double)nrSteps:F0} bytes allocated per 100 ms simulated ({ThreadCpuClock.Name})");
        }
    }
}
