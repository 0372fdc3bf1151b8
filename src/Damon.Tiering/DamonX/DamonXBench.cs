using System.Diagnostics;
using Damon.Core.Monitoring;
using Damon.Modules.Common;
using Damon.Modules.LruSort;
using Damon.Modules.Reclaim;
using Damon.Modules.Shared;
using Damon.Modules.Stat;
using Damon.Modules.Tier;
using Damon.Sim.Bench;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Tiering.DamonTier;
using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.DamonX;

/// <summary>
/// DAMON-X against separate kdamonds (issue 16): RECLAIM, LRU_SORT, STAT and TIER on one tiering
/// scenario, each alone, all four as separate kdamonds, and all four in one
/// <see cref="SharedContext"/>. Engine CPU is the thread CPU of the run minus the world's share
/// (TimedWorld, as the accuracy bench measures it); each module reports its own result.
/// </summary>
public sealed class DamonXBench(string scenario = DamonXBench.DefaultScenario, ulong seed = 42, ulong? durationUs = null)
{
    public const string DefaultScenario = "pressure-75";
    private const ulong StepUs = 1_000_000;

    public static readonly string[] ModuleNames = [ReclaimParams.ModuleName, LruSortParams.ModuleName, StatParams.ModuleName, TierParams.ModuleName];

    /// <summary>
    /// All modules' watermarks opened up (free_mem_rate 0..1000 ‰): their default bands do not
    /// overlap (RECLAIM 20..40 %, LRU_SORT and TIER 5..15 %), so with the defaults at most one
    /// module would ever be active, alone or shared.
    /// </summary>
    public static ModuleWatermarks OpenWatermarks { get; } = new() { IntervalUs = 5_000_000, High = 1000, Mid = 999, Low = 0 };

    /// <summary>min_age and cold_min_age 5 s: the kernel's 120 s would not elapse in a short run.</summary>
    public const ulong ColdMinAgeUs = 5_000_000;

    public event Action<string>? Progress;

    private enum Mode { Solo, Separate, Shared }

    private sealed record RunOutcome(double EngineMs, double SimS, double NrRegionsMean, Dictionary<string, double> Results);

    public DamonXResult Run(CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var sc = ScenarioCatalog.LoadBuiltin(scenario);
        var solo = new Dictionary<string, RunOutcome>();
        foreach (string name in ModuleNames)
            solo[name] = RunOnce(sc, Mode.Solo, [name], cancel);
        var separate = RunOnce(sc, Mode.Separate, ModuleNames, cancel);
        var shared = RunOnce(sc, Mode.Shared, ModuleNames, cancel);
        return new DamonXResult
        {
            Scenario = sc.Name,
            Seed = seed,
            SimulatedS = shared.SimS,
            CpuClock = ThreadCpuClock.Name,
            SharedEngineCpuMs = shared.EngineMs,
            SeparateEngineCpuMs = separate.EngineMs,
            SoloEngineCpuMsSum = solo.Values.Sum(o => o.EngineMs),
            SharedNrRegionsMean = shared.NrRegionsMean,
            SeparateNrRegionsMean = separate.NrRegionsMean,
            Modules = [.. ModuleNames.Select(n => new DamonXModuleResult
            {
                Name = n,
                Metric = MetricOf(n),
                SoloResult = solo[n].Results[n],
                SeparateResult = separate.Results[n],
                SharedResult = shared.Results[n],
            })],
            WallS = wall.Elapsed.TotalSeconds,
        };
    }

    public static string MetricOf(string module) =>
        module == ReclaimParams.ModuleName ? "bytes_reclaimed_regions (bytes)"
        : module == LruSortParams.ModuleName ? "bytes_lru_sorted_hot_regions + bytes_lru_sorted_cold_regions (bytes)"
        : module == StatParams.ModuleName ? "estimated_memory_bandwidth, mean over refreshes (bytes/s)"
        : module == TierParams.ModuleName ? "tiering runtime: the application's ns per access"
        : throw new ArgumentException(module, nameof(module));

    private RunOutcome RunOnce(TieringScenario sc, Mode mode, IReadOnlyList<string> names, CancellationToken cancel)
    {
        var workload = sc.Workload();
        if (workload is ScenarioWorkload sw && sw.MoveTimesUs().Count > 0)
            throw new ArgumentException($"scenario {sc.Name}: moves pages during the run; damon-x runs scenarios without moves");
        TimedWorld? world = null;
        // As damon-tier runs in the tiering bench: no kswapd demotion beside the modules.
        var sim = new Simulation(sc.Machine with { LinuxDefault = false, DemotionEnabled = false }, workload, seed, world: w => world = new TimedWorld(w, ThreadCpuClock.NowNs));
        var m = sim.Machine;
        var layout = SimMemoryLayout.Of(m);
        var (ramStart, ramEnd) = m.SystemRamRange();
        // RECLAIM and LRU_SORT on the fast node, where the cold pre-fill is: over both nodes their
        // age-weighted quotas go first to the slow node's free frames, the oldest regions, which
        // nothing can page out or sort.
        var (fastStart, fastEnd) = m.NodePhysRange(0);

        var reclaim = new ReclaimModule(ReclaimParams.Default with
        {
            MinAgeUs = ColdMinAgeUs, Wmarks = OpenWatermarks, MonitorRegionStart = fastStart, MonitorRegionEnd = fastEnd,
        }, layout, m, m.Seed ^ 1);
        var lru = new LruSortModule(LruSortParams.Default with
        {
            ColdMinAgeUs = ColdMinAgeUs, Wmarks = OpenWatermarks, MonitorRegionStart = fastStart, MonitorRegionEnd = fastEnd,
        }, layout, m, m.Seed ^ 2);
        var stat = new StatModule(StatParams.Default, layout, m.Seed ^ 3);
        // TIER as the tiering bench recommends it, over both nodes (the biggest System RAM is the slow node only).
        var tier = new TierModule(DamonTierPolicy.Tuned with { MonitorRegionStart = ramStart, MonitorRegionEnd = ramEnd }, layout, m, m.Seed ^ 4);
        var all = new Dictionary<string, ISharedModule>
        {
            [ReclaimParams.ModuleName] = reclaim, [LruSortParams.ModuleName] = lru, [StatParams.ModuleName] = stat, [TierParams.ModuleName] = tier,
        };

        if (mode == Mode.Shared)
        {
            var shared = new SharedContext(m, m.Seed);
            foreach (string n in names)
                shared.Install(all[n]).Wait(cancel);
            sim.AddStarted(shared.Start(sim.Engine));
        }
        else
        {
            foreach (string n in names)
            {
                Kdamond k = all[n] switch
                {
                    ReclaimModule r => r.Start(sim.Engine, exclusive: false),
                    LruSortModule l => l.Start(sim.Engine, exclusive: false),
                    StatModule s => s.Start(sim.Engine, exclusive: false),
                    TierModule t => t.Start(sim.Engine, exclusive: false),
                    _ => throw new InvalidOperationException(n),
                };
                sim.AddStarted(k);
            }
        }

        var bandwidths = new List<double>();
        StatResults? lastStat = null;
        double regionsSum = 0;
        int regionsSamples = 0;
        // World time only inside the timed runs (as TimedVaddrRun counts it): the workload's set-up
        // and anything a stop advances are in neither total.
        long runNs = 0, worldInRunNs = 0;
        ulong endUs = durationUs ?? sc.DurationUs;
        for (ulong now = 0; now < endUs && !sim.WorkloadFinished;)
        {
            ulong next = Math.Min(now + StepUs, endUs);
            long t0 = ThreadCpuClock.NowNs(), w0 = world!.Ns;
            sim.RunUntil(next, cancel);
            runNs += ThreadCpuClock.NowNs() - t0;
            worldInRunNs += world.Ns - w0;
            now = next;
            regionsSum += sim.Kdamonds.Sum(k => (double)k.Ctx.NrRegions());
            regionsSamples++;
            if (!ReferenceEquals(stat.Results, lastStat) && stat.Results.AggrIntervalUs != 0)
            {
                lastStat = stat.Results;
                bandwidths.Add(lastStat.EstimatedMemoryBandwidth);
            }
        }
        double simS = sim.NowUs / 1e6;
        var app = TieringRun.AppThreads(sc, m);
        ulong accesses = 0, busyNs = 0;
        foreach (var t in app)
        {
            accesses += t.NrAccesses;
            busyNs += t.BusyNs;
        }
        sim.Stop();
        double engineMs = (runNs - worldInRunNs) / 1e6;
        var results = new Dictionary<string, double>
        {
            [ReclaimParams.ModuleName] = reclaim.Stats.BytesApplied,
            [LruSortParams.ModuleName] = lru.HotStats.BytesApplied + lru.ColdStats.BytesApplied,
            [StatParams.ModuleName] = bandwidths.Count == 0 ? 0 : bandwidths.Average(),
            [TierParams.ModuleName] = accesses == 0 ? 0 : (double)busyNs / accesses,
        };
        Progress?.Invoke($"{ModeName(mode, names)}: engine {engineMs:F0} ms over {simS:F0} s simulated, " +
            string.Join(", ", names.Select(n => $"{n} {results[n]:G6}")));
        // Tried and applied bytes per scheme: what each module's actions walked, which is most of
        // the engine's cost, and what they got.
        Progress?.Invoke("  schemes (tried/applied MiB): " + string.Join(", ",
            new (string Name, ModuleSchemeStats Stats)[]
            {
                ("pageout", reclaim.Stats), ("lru_prio", lru.HotStats), ("lru_deprio", lru.ColdStats),
                ("promote", tier.PromoteStats), ("demote", tier.DemoteStats),
            }.Select(x => $"{x.Name} {x.Stats.BytesTried / 1048576.0:F0}/{x.Stats.BytesApplied / 1048576.0:F0}")));
        return new RunOutcome(engineMs, simS, regionsSamples == 0 ? 0 : regionsSum / regionsSamples, results);
    }

    private static string ModeName(Mode mode, IReadOnlyList<string> names) => mode switch
    {
        Mode.Solo => $"solo {names[0]}",
        Mode.Separate => "four separate kdamonds",
        _ => "one shared context",
    };
}
