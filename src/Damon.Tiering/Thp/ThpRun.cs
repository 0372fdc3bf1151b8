using System.Diagnostics;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Hugepage;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Sim.Running;
using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Thp;

/// <summary>One point of a run's hugepage_mem_bp curve.</summary>
public sealed record ThpSample(double TimeMs, ulong HugepageMemBp, ulong BloatBytes);

/// <summary>One process's share of a run: its accesses and busy time per access (waits left out).</summary>
public sealed record ThpProcessTime(int Pid, ulong NrAccesses, double NsPerAccess);

/// <summary>What one (scenario, policy) run measured.</summary>
public sealed record ThpRunResult
{
    public required string Scenario { get; init; }
    public required string Policy { get; init; }
    /// <summary>Busy time per access of the scenario's processes (their start included, a reader's waits between windows not).</summary>
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
    /// <summary>Per process, in the scenario's order.</summary>
    public IReadOnlyList<ThpProcessTime> Processes { get; init; } = [];
    /// <summary>The collapse scheme's stats (nr_tried, sz_tried, sz_applied); zero without one.</summary>
    public ulong CollapseNrTried { get; init; }
    public ulong CollapseSzTried { get; init; }
    public ulong CollapseSzApplied { get; init; }
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
    /// subpages zero-filled (80 %). DAMON's mkold does not flush the TLB, so a THP whose translation
    /// stays cached between context switches (every 3 ms by default; docs/simulator.md) can read
    /// cold for a window; this test keeps the cold scheme from splitting hot dense THPs then.
    /// </summary>
    public const uint MaxPtesNone = 409;

    public static ThpRunResult Run(TieringScenario sc, ThpPolicy policy, ulong seed, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var workload = sc.Workload() as ScenarioWorkload
            ?? throw new ArgumentException($"{sc.Name}: THP runs need a scenario file's workloads", nameof(sc));
        if (!policy.ScenarioThp)
            workload.SetThpMode(ThpMode.Never);
        var sim = new Simulation(sc.Machine, workload, seed);
        var m = sim.Machine;
        var pids = workload.Parts.SelectMany(p => p.Pids).ToList();
        if (pids.Count == 0)
            throw new ArgumentException($"{sc.Name}: the workloads created no process", nameof(sc));
        DamonContext? ctx = null;
        TopCpuCollapse? rival = null;
        Damos? collapse = null;
        if (policy.Kind != ThpPolicyKind.None)
        {
            var attrs = policy.Params.MonAttrs.ToAttrs();
            ctx = sim.AddContext(OperationsId.Vaddr, attrs);
            ctx.Ops = new SimVaddrOperations(m)
            {
                NohugepageShrink = policy.Shrink,
                ThpMaxPtesNone = MaxPtesNone,
                // What the underused scheme splits, the collapse scheme would copy back whole.
                CollapseMaxPtesNone = policy.Params.SplitUnderused ? MaxPtesNone : null,
            };
            foreach (int pid in pids)
                sim.AddVaddrTarget(ctx, pid);
            if (policy.Kind == ThpPolicyKind.Module)
            {
                var module = new HugepageModule(policy.Params with { TargetPid = pids[0] });
                module.AddSchemes(ctx, attrs);
                collapse = module.Hot;
            }
            else
                collapse = (rival = new TopCpuCollapse(policy.Params)).AddScheme(ctx, attrs);
        }
        var lastCpu = new Dictionary<int, ulong>();
        var measured = pids.ToHashSet();
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

        // A reader's waits between its windows are neither work nor memory time of the program.
        ulong accesses = 0, busy = 0, slow = 0;
        var perPid = pids.ToDictionary(p => p, _ => (Accesses: 0UL, Busy: 0UL));
        foreach (var t in m.Threads.Where(t => measured.Contains(t.Process.Pid)))
        {
            accesses += t.NrAccesses;
            busy += t.BusyNs;
            var pp = perPid[t.Process.Pid];
            perPid[t.Process.Pid] = (pp.Accesses + t.NrAccesses, pp.Busy + t.BusyNs);
            // Served by a node of a slower tier than the thread's own (CXL): any machine file's layout.
            int localTier = m.Spec.Nodes[m.LocalNodeOfCpu(t.Cpu)].Tier;
            for (int n = 0; n < m.NrNodes; n++)
                if (m.Spec.Nodes[n].Tier > localTier) slow += t.NodeAccesses[n];
        }
        foreach (var r in workload.Parts.Select(p => p.Inner).OfType<ThpReaderWorkload>())
        {
            ulong waitNs = r.WaitNsAt(m.Threads.Single(t => t.Process.Pid == r.Pid).ClockNs);
            accesses -= r.NrWaitAccesses;
            busy -= waitNs;
            var pp = perPid[r.Pid];
            perPid[r.Pid] = (pp.Accesses - r.NrWaitAccesses, pp.Busy - waitNs);
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
            Processes = pids.Select(p => new ThpProcessTime(p, perPid[p].Accesses, perPid[p].Accesses == 0 ? 0 : (double)perPid[p].Busy / perPid[p].Accesses)).ToList(),
            CollapseNrTried = collapse?.Stat.NrTried ?? 0,
            CollapseSzTried = collapse?.Stat.SzTried ?? 0,
            CollapseSzApplied = collapse?.Stat.SzApplied ?? 0,
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
