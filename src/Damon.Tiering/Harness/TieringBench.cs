using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Tiering.FirstTouch;
using Damon.Tiering.Oracle;
using Damon.Tiering.Sweep;

namespace Damon.Tiering.Harness;

/// <summary>Options of a suite run.</summary>
public sealed record TieringBenchOptions
{
    public IReadOnlyList<TieringScenario> Scenarios { get; init; } = ScenarioCatalog.All();
    public IReadOnlyList<string> Policies { get; init; } = PolicyCatalog.Names;
    public ulong Seed { get; init; } = 42;
    /// <summary>The window oracle's window (and the profile's).</summary>
    public ulong OracleWindowUs { get; init; } = 250_000;
    /// <summary>damon-tier's parameters when not its recommended ones (over a scenario file's <c>tier_params</c>).</summary>
    public Damon.Modules.Tier.TierParams? TierParams { get; init; }
    /// <summary>Which (scenario, policy) units to run (<see cref="TieringShard"/>); all by default.</summary>
    public TieringShard Shard { get; init; } = TieringShard.Whole;
}

/// <summary>Per scenario: the all-fast baseline, one profiling run if an oracle is asked for, then every policy.</summary>
public sealed class TieringBench(TieringBenchOptions options)
{
    public TieringBenchOptions Options { get; } = options;

    /// <summary>Raised after each run: (scenario, policy, runs done, runs in all).</summary>
    public event Action<string, string, int, int>? Progress;

    /// <summary>The policies of <paramref name="scenarioIndex"/> this shard runs (all without a shard), in the order given.</summary>
    public IReadOnlyList<string> PoliciesOf(int scenarioIndex) =>
        Options.Policies.Where((_, p) => Options.Shard.Owns(scenarioIndex * Options.Policies.Count + p)).ToList();

    /// <summary>
    /// Simulation runs in all: per scenario with any policy in this shard, the all-fast baseline,
    /// the profile if one of those policies is an oracle, and each of those policies.
    /// </summary>
    public int NrRuns => Enumerable.Range(0, Options.Scenarios.Count).Select(PoliciesOf)
        .Where(ps => ps.Count > 0).Sum(ps => 1 + (ps.Any(PolicyCatalog.IsOracle) ? 1 : 0) + ps.Count);

    /// <summary>Every run in turn; <paramref name="cancel"/> stops the suite with <see cref="OperationCanceledException"/>.</summary>
    public TieringReport Run(CancellationToken cancel = default)
    {
        var results = new List<PolicyResult>();
        var baselines = new Dictionary<string, double>();
        int total = NrRuns, done = 0;
        for (int si = 0; si < Options.Scenarios.Count; si++)
        {
            var sc = Options.Scenarios[si];
            var policies = PoliciesOf(si);
            // A shard runs a scenario's baseline (and profile) only for its own policies: every
            // shard that needs them computes the same, deterministic numbers.
            if (policies.Count == 0) continue;
            var allFast = TieringRun.Run(AllFast(sc), new FirstTouchPolicy(), Options.Seed, 0, cancel);
            baselines[sc.Name] = allFast.NsPerAccess;
            Progress?.Invoke(sc.Name, "all-fast", ++done, total);
            AccessProfile? profile = null;
            if (policies.Any(PolicyCatalog.IsOracle))
            {
                var fresh = new Simulation(new FirstTouchPolicy().Configure(sc.Machine), sc.Workload(), Options.Seed);
                int fastPages = (int)(sc.Machine.Nodes.OrderBy(n => n.Tier).First().CapacityBytes >> 12);
                profile = AccessProfile.Record(fresh, sc.DurationUs, Options.OracleWindowUs, fastPages, cancel);
                Progress?.Invoke(sc.Name, "profile", ++done, total);
            }
            foreach (string name in policies)
            {
                var policy = PolicyCatalog.Create(name, profile, Options.TierParams ?? sc.TierParams);
                results.Add(TieringRun.Run(sc, policy, Options.Seed, allFast.NsPerAccess, cancel));
                Progress?.Invoke(sc.Name, name, ++done, total);
            }
        }
        return new TieringReport(Options.Seed, Options.Scenarios, baselines, results)
        {
            Shard = Options.Shard == TieringShard.Whole ? null : new ShardInfo(Options.Shard, Options.Policies),
        };
    }

    /// <summary>The same scenario on a machine whose fast node holds both nodes' memory.</summary>
    public static TieringScenario AllFast(TieringScenario sc)
    {
        var nodes = sc.Machine.Nodes.ToList();
        int fast = nodes.FindIndex(n => n.Tier == nodes.Min(x => x.Tier));
        ulong total = nodes.Aggregate(0UL, (s, n) => s + n.CapacityBytes);
        nodes[fast] = nodes[fast] with { CapacityBytes = total };
        return sc with { Name = sc.Name + "/all-fast", Machine = sc.Machine with { Nodes = nodes }, AllFastBaseline = true };
    }
}
