using Damon.Sim.Bench;

namespace Damon.Bench.Sim;

/// <summary>
/// The two simulator benchmarks' set-ups timed on the thread's CPU clock instead of the wall
/// clock: on a machine shared with other builds (load averages of 20–40 on 2 cores here)
/// BenchmarkDotNet's wall-clock means mostly measure the wait for a core. Run as
/// <c>Damon.Bench cpu-probe sampling 1,10,100 vaddr,paddr</c>, <c>Damon.Bench cpu-probe e2e 1,10,100 10</c>
/// or <c>Damon.Bench cpu-probe gups 1,16 5</c> (<see cref="GupsAccessBench.Machine"/>, hot sets in MiB, best of 5 reps).
/// </summary>
public static class SimCpuProbe
{
    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("damon: cpu-probe: usage: cpu-probe sampling SIZES_GIB OPS [host-thp] | cpu-probe e2e SIZES_GIB NR_100MS_STEPS [host-thp] | cpu-probe gups HOT_MIBS NR_REPS");
            return 2;
        }
        var sizes = args[1].Split(',').Select(ulong.Parse).ToArray();
        s_hostThp = args.Length > 3 && args[3] == "host-thp";
        if (args[0] == "gups")
            Gups(sizes, int.Parse(args[2]));
        else if (args[0] == "sampling")
            Sampling(sizes, args[2].Split(','));
        else
            EndToEnd(sizes, int.Parse(args[2]));
        return 0;
    }

    private static bool s_hostThp;

    /// <summary>With <c>host-thp</c>: the set-up's state collapsed into host huge pages; prints what the host backs with them.</summary>
    private static void HostPages()
    {
        if (s_hostThp)
            HostHugePages.CollapseAnonymousMappings();
        Console.WriteLine($"  host AnonHugePages {HostHugePages.AnonHugeBytes() >> 20} MiB");
    }

    /// <summary>
    /// Run the measured code <paramref name="nrTimes"/> times, wait a second for the background
    /// tier-1 compiles, and run it as often again, so the timed loop runs settled code. Timing
    /// right after a few hundred steps measured quick-JIT and OSR code, which made the first
    /// loop's step look 40 ns per region dearer than its prepare and check at 1 GiB. Fixed
    /// counts, not a time budget: the simulated state at the timed loop is the same in every run.
    /// </summary>
    private static void WarmUp(int nrTimes, Action step)
    {
        for (int i = 0; i < nrTimes; i++)
            step();
        Thread.Sleep(1000);
        for (int i = 0; i < nrTimes; i++)
            step();
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
            HostPages();
            WarmUp(500, () => { sim.Driver.Step(); o.PrepareAccessChecks(ctx); o.CheckAccesses(ctx); });
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

    /// <summary>
    /// <see cref="GupsAccessBench.Machine"/> per access on the thread's CPU clock, for hot sets of
    /// the given MiB, caches off/on, tree bits off/on: the best of <paramref name="nrReps"/>
    /// repetitions of 2,000 batches (the minimum is what other processes' load inflates least).
    /// </summary>
    private static void Gups(ulong[] hotMiBs, int nrReps)
    {
        const int nrBatches = 2000;
        foreach (ulong mib in hotMiBs)
        foreach (bool caches in new[] { false, true })
        foreach (bool treeBits in new[] { false, true })
        {
            var b = new GupsAccessBench { HotSetBytes = mib << 20, Caches = caches, TreeBits = treeBits };
            b.Setup();
            WarmUp(nrBatches, b.Machine);
            double best = double.MaxValue;
            for (int r = 0; r < nrReps; r++)
            {
                long t0 = ThreadCpuClock.NowNs();
                for (int i = 0; i < nrBatches; i++) b.Machine();
                best = Math.Min(best, (ThreadCpuClock.NowNs() - t0) / (double)(nrBatches * 4096));
            }
            Console.WriteLine($"gups hot {mib} MiB caches={caches} treeBits={treeBits}: {best:F2} ns/access (best of {nrReps}, {ThreadCpuClock.Name})");
        }
    }

    /// <summary>Accesses per CPU second, monitored and not, over the same steps of simulated time.</summary>
    private static void EndToEnd(ulong[] sizes, int nrSteps)
    {
        foreach (ulong gib in sizes)
        foreach (bool monitored in new[] { false, true })
        {
            var sim = SimEndToEndBench.NewSimulation(gib, monitored, out var ctx);
            HostPages();
            WarmUp(2, () => sim.RunFor(100_000));
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
