using System.Diagnostics;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Hugepage;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Sim.Running;

namespace Damon.Tiering.Thp;

/// <summary>One point of a run's hugepage_mem_bp curve.</summary>
public sealed record ThpSample(double TimeMs, ulong HugepageMemBp, ulong BloatBytes);

/// <summary>What one (scenario, policy) run measured.</summary>
public sealed record ThpRunResult
{
    public required string Scenario { get; init; }
    public required string Policy { get; init; }
    /// <summary>Busy time per access of the processes that keep running (the idle ones' only work is their start).</summary>
    public double NsPerAccess { get; init; }
    /// <summary>Bloat (never-touched THP subpages) averaged over the run's second half.</summary>
    public double MeanBloatBytes { get; init; }
    public ulong FinalBloatBytes { get; init; }
    public ulong FinalThpBytes { get; init; }
    public ulong FinalUsedBytes { get; init; }
    /// <summary>Share of the running processes' accesses the slow node served.</summary>
    public double SlowAccessRatio { get; init; }
    public ulong NrCollapses { get; init; }
    public ulong NrSplits { get; init; }
    public ulong NrMovedOut { get; init; }
    /// <summary>Simulated time the DAMON actions took off the application (collapse copies, splits), ms per simulated second.</summary>
    public double ActionMsPerSimSec { get; init; }
    public double WallSeconds { get; init; }
    public IReadOnlyList<ThpSample> Series { get; init; } = [];
}

/// <summary>
/// Runs one THP policy on one scenario in 100 ms steps of simulated time, sampling
/// hugepage_mem_bp (the goal metric's own formula on the machine's reading) and the bloat.
/// DAMON, if the policy has it, is one vaddr context over every process of the scenario.
/// </summary>
public static class ThpRun
{
    public const ulong StepUs = 100_000;
    /// <summary>How often the Huawei-style rival re-chooses its processes.</summary>
    public const ulong RechooseUs = 1_000_000;
    /// <summary>
    /// khugepaged/max_ptes_none for the shrink: a THP is underused with more than 409 of its 512
    /// subpages zero-filled (80 %). DAMON cannot tell a THP whose translation stays in the TLB from
    /// a cold one (its mkold does not flush; docs/simulator.md), so without this test the cold
    /// scheme splits hot dense THPs too.
    /// </summary>
    public const uint MaxPtesNone = 409;

    public static ThpRunResult Run(ThpScenario sc, ThpPolicy policy, ulong seed, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var workload = new ThpWorkload(sc.Processes, policy.ThpAlways);
        var sim = new Simulation(sc.Machine, workload, seed);
        var m = sim.Machine;
        DamonContext? ctx = null;
        TopCpuCollapse? rival = null;
        if (policy.Kind != ThpPolicyKind.None)
        {
            var attrs = policy.Params.MonAttrs.ToAttrs();
            ctx = sim.AddContext(OperationsId.Vaddr, attrs);
            ctx.Ops = new SimVaddrOperations(m) { NohugepageShrink = policy.Shrink, ThpMaxPtesNone = MaxPtesNone };
            foreach (var p in sc.Processes)
                sim.AddVaddrTarget(ctx, workload.Pids[p.Name]);
            if (policy.Kind == ThpPolicyKind.Module)
                new HugepageModule(policy.Params with { TargetPid = workload.Pids[sc.Processes[0].Name] }).AddSchemes(ctx, attrs);
            else
                (rival = new TopCpuCollapse(policy.Params)).AddScheme(ctx, attrs);
        }
        var lastCpu = new Dictionary<int, ulong>();
        var running = sc.Processes.Where(p => !p.IdleAfterInit).Select(p => workload.Pids[p.Name]).ToHashSet();
        var series = new List<ThpSample>();
        double bloatSum = 0;
        int bloatN = 0;
        for (ulong now = StepUs; now <= sc.DurationUs; now += StepUs)
        {
            sim.RunUntil(now, cancel);
            if (rival is not null && now % RechooseUs == 0)
                rival.Rechoose(ctx!, pid => CpuNs(m, pid), lastCpu);
            series.Add(new ThpSample(now / 1000.0, HugepageMemBp(m), m.ThpBloatBytes));
            if (now > sc.DurationUs / 2)
            {
                bloatSum += m.ThpBloatBytes;
                bloatN++;
            }
        }
        sim.Stop();

        ulong accesses = 0, busy = 0, slow = 0;
        foreach (var t in m.Threads.Where(t => running.Contains(t.Process.Pid)))
        {
            accesses += t.NrAccesses;
            busy += t.BusyNs;
            slow += t.NodeAccesses[1];
        }
        ulong used = 0;
        for (int n = 0; n < m.NrNodes; n++) used += m.NodeUsedBytes(n);
        return new ThpRunResult
        {
            Scenario = sc.Name,
            Policy = policy.Name,
            NsPerAccess = accesses == 0 ? 0 : (double)busy / accesses,
            MeanBloatBytes = bloatN == 0 ? 0 : bloatSum / bloatN,
            FinalBloatBytes = m.ThpBloatBytes,
            FinalThpBytes = m.ThpBytes,
            FinalUsedBytes = used,
            SlowAccessRatio = accesses == 0 ? 0 : (double)slow / accesses,
            NrCollapses = m.NrThpCollapses,
            NrSplits = m.NrThpSplits,
            NrMovedOut = m.NrThpMovedOut,
            ActionMsPerSimSec = ctx is null ? 0 : m.BackgroundNs(ctx) / 1e6 / (sc.DurationUs / 1e6),
            WallSeconds = wall.Elapsed.TotalSeconds,
            Series = series,
        };
    }

    /// <summary>hugepage_mem_bp as the goal reads it: THP bytes × 10000 / (total − free).</summary>
    public static ulong HugepageMemBp(SimMachine m)
    {
        m.TryGetHugepageMem(out ulong thp, out ulong total, out ulong free);
        return DamosQuotaGoalMetrics.HugepageMemBp(thp, total, free);
    }

    private static ulong CpuNs(SimMachine m, int pid)
    {
        ulong ns = 0;
        foreach (var t in m.Threads)
            if (t.Process.Pid == pid) ns += t.BusyNs;
        return ns;
    }
}
