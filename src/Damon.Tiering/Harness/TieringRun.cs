using System.Diagnostics;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Harness;

/// <summary>
/// Runs one policy on one scenario: the policy shapes the machine (e.g. reclaim demotion off),
/// attaches, and is ticked at its interval while simulated time advances in steps; each step
/// records the application's fast-tier hit ratio, the placement of its pages and the run's time
/// series (<see cref="RunSeries"/>). A scenario file's page moves run at their times, between steps.
/// </summary>
public static class TieringRun
{
    public const ulong StepUs = 100_000;

    /// <summary>One run; <paramref name="cancel"/> stops it between kdamond iterations or workload batches (OperationCanceledException).</summary>
    public static PolicyResult Run(TieringScenario sc, ITieringPolicy policy, ulong seed, double allFastNsPerAccess, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var workload = sc.Workload();
        if (sc.AllFastBaseline && workload is ScenarioWorkload placed) placed.TurnPlacementOff();
        var sim = new Simulation(policy.Configure(sc.Machine), workload, seed);
        var m = sim.Machine;
        var nodes = TierNodes.Of(m);
        var app = AppThreads(sc, m);
        var scenarioWorkload = workload as ScenarioWorkload;
        // Both watch migrations from the machine's start, before the policy can move anything.
        var accessors = AccessorMeter.For(scenarioWorkload, app, m, policy);
        var pingPong = new PingPongCounter(m, policy, [nodes.Fast, nodes.Slow]);
        var pingPongHandler = pingPong.Attach();
        policy.Attach(sim, nodes);
        var moveTimes = new Queue<ulong>(scenarioWorkload?.MoveTimesUs() ?? []);
        var phaseMarks = new Queue<ulong>(PhaseRuntime.Starts(sc).Where(t => t > 0));
        if (moveTimes.TryPeek(out ulong first) && first == 0)
            scenarioWorkload!.ApplyMoves(m, moveTimes.Dequeue());
        var series = new RunSeries();
        var hits = new List<HitSample>();
        ulong lastFast = 0, lastAll = 0;
        ulong tick = policy.TickIntervalUs, nextTick = 0, now = 0;
        long runTicks = 0;
        while (now < sc.DurationUs)
        {
            if (tick > 0 && now >= nextTick)
            {
                policy.Tick(now);
                nextTick = now + tick;
            }
            ulong nextStep = Math.Min(((now / StepUs) + 1) * StepUs, sc.DurationUs);
            ulong next = tick > 0 ? Math.Min(nextStep, nextTick) : nextStep;
            if (moveTimes.TryPeek(out ulong moveAt)) next = Math.Min(next, moveAt);
            if (phaseMarks.TryPeek(out ulong phaseAt)) next = Math.Min(next, phaseAt);
            long t0 = Stopwatch.GetTimestamp();
            sim.RunUntil(next, cancel);
            runTicks += Stopwatch.GetTimestamp() - t0;
            now = next;
            if (phaseMarks.TryPeek(out ulong phaseDue) && phaseDue == now)
            {
                phaseMarks.Dequeue();
                series.AppAtUs[now] = AppTotals(app);
            }
            if (moveTimes.TryPeek(out ulong due) && due == now)
            {
                scenarioWorkload!.ApplyMoves(m, moveTimes.Dequeue());
            }
            if (now == nextStep)
            {
                series.Sample(sim, nodes, now);
                accessors?.Sample(m, now);
                ulong fast = 0;
                foreach (var t in app) fast += t.NodeAccesses[nodes.Fast];
                var (all, busy) = AppTotals(app);
                series.AppAccesses.Add(all);
                series.AppBusyNs.Add(busy);
                if (all > lastAll) hits.Add(new HitSample(now / 1000.0, (double)(fast - lastFast) / (all - lastAll)));
                (lastFast, lastAll) = (fast, all);
            }
            if (sim.WorkloadFinished) break;
        }
        if (policy is IEngineTimedPolicy timed) timed.RunTicks = runTicks;
        sim.Stop();
        m.Migrated -= pingPongHandler;
        var accessorResult = accessors?.Finish(m, scenarioWorkload, now);

        ulong accesses = 0, slow = 0, timeNs = 0;
        foreach (var t in app)
        {
            accesses += t.NrAccesses;
            slow += t.NodeAccesses[nodes.Slow];
            timeNs += t.BusyNs;
        }
        double simSec = now / 1e6;
        double nsPerAccess = accesses == 0 ? 0 : (double)timeNs / accesses;
        return new PolicyResult
        {
            Scenario = sc.Name,
            Policy = policy.Name,
            NsPerAccess = nsPerAccess,
            NormalizedRuntime = allFastNsPerAccess > 0 ? nsPerAccess / allFastNsPerAccess : 1.0,
            NrAccesses = accesses,
            SlowTierAccessRatio = accesses == 0 ? 0 : (double)slow / accesses,
            BytesPromoted = PolicyMigratedPages(m, scenarioWorkload, nodes.Slow, nodes.Fast) << PageSizes.PageShift,
            BytesDemoted = PolicyMigratedPages(m, scenarioWorkload, nodes.Fast, nodes.Slow) << PageSizes.PageShift,
            PingPongPages = pingPong.Pages,
            ConvergeMs = ConvergenceMeter.MeanConvergeMs(hits, sc.PhaseChangesUs, now / 1000.0),
            MonitorCpuMsPerSimSec = simSec == 0 ? 0 : policy.CostTicks * 1000.0 / Stopwatch.Frequency / simSec,
            BackgroundMsPerSimSec = simSec == 0 ? 0 : policy.BackgroundNs / 1e6 / simSec,
            SimulatedSeconds = simSec,
            WallSeconds = wall.Elapsed.TotalSeconds,
            HitRatio = hits,
            Series = series,
            Accessor = accessorResult,
            SplitModel = (policy as Damon.Tiering.InterleaveOracle.OracleInterleavePolicy)?.Prediction,
        };
    }

    /// <summary>Pages migrated from <paramref name="src"/> to <paramref name="dst"/> by the policy and the kernel, not by the scenario's own moves.</summary>
    internal static ulong PolicyMigratedPages(SimMachine m, ScenarioWorkload? sw, int src, int dst) =>
        m.MigratedPages(src, dst) - (sw?.MovedPages(src, dst) ?? 0);

    /// <summary>The application's cumulative accesses and busy time.</summary>
    private static (ulong Accesses, ulong BusyNs) AppTotals(List<SimThread> app)
    {
        ulong all = 0, busy = 0;
        foreach (var t in app) { all += t.NrAccesses; busy += t.BusyNs; }
        return (all, busy);
    }

    /// <summary>The application's threads: every thread but those of excluded (pre-fill) processes.</summary>
    internal static List<SimThread> AppThreads(TieringScenario sc, SimMachine m) =>
        m.Threads.Where(t => t.Process.Name != PrefilledWorkload.ProcessName && !sc.ExcludedProcesses.Contains(t.Process.Name)).ToList();
}
