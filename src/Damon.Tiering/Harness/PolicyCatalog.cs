using Damon.Tiering.DamonTier;
using Damon.Tiering.FirstTouch;
using Damon.Tiering.HeMem;
using Damon.Tiering.LinuxDefault;
using Damon.Tiering.Memtierd;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.NumaTpp;
using Damon.Tiering.Oracle;
using Damon.Tiering.Policy;
using Damon.Tiering.Tpp;

namespace Damon.Tiering.Harness;

/// <summary>The policies by name; oracles need the scenario's access profile.</summary>
public static class PolicyCatalog
{
    public static IReadOnlyList<string> Names { get; } =
        ["first-touch", "linux-default", "numab2", "tpp", "hemem", "memtierd-heat", "damon-tier-defaults", "damon-tier", "damon-auto", "oracle-static", "oracle-window"];

    /// <summary>
    /// Bandwidth-aware placement (docs/results/bandwidth.md); not in <see cref="Names"/>: they answer a
    /// different question than the two-tier suite's scenarios ask, and would double its run time.
    /// </summary>
    public static IReadOnlyList<string> BandwidthNames { get; } =
        ["weighted-interleave", "weighted-interleave-7-1", "weighted-interleave-3-1", "weighted-interleave-1-1", "colloid", "bw-hillclimb", "damon-interleave", "damon-interleave-static", "oracle-interleave"];

    /// <summary>Policies for machines with two or more sockets (accessor scenarios, docs/numa-tpp.md); not in <see cref="Names"/>, so "all" stays the two-tier suite.</summary>
    public static IReadOnlyList<string> AccessorNames => NumaTppCatalog.Names;

    public static IEnumerable<string> Known => Names.Concat(BandwidthNames).Concat(AccessorNames);
    public static bool IsKnown(string name) => Known.Contains(name);

    public static bool IsOracle(string name) => name.StartsWith("oracle-", StringComparison.Ordinal);

    /// <summary>Placements fixed before the run and never moved (first touch, static weighted interleaving): the per-phase reference of <see cref="PhaseRuntime"/>.</summary>
    public static bool IsStaticSplit(string name) => name == "first-touch" || name.StartsWith("weighted-interleave", StringComparison.Ordinal);

    /// <param name="tierParams">Replaces damon-tier's parameters (<see cref="DamonTierPolicy.Tuned"/>), e.g. from a file.</param>
    public static ITieringPolicy Create(string name, AccessProfile? profile = null, Damon.Modules.Tier.TierParams? tierParams = null) => name switch
    {
        "first-touch" => new FirstTouchPolicy(),
        "linux-default" => new LinuxDefaultPolicy(),
        "numab2" => new NumaBalancingPolicy(),
        "tpp" => new TppPolicy(),
        "hemem" => new HeMemPolicy(),
        "memtierd-heat" => new MemtierdHeatPolicy(),
        "damon-tier-defaults" => DamonTierPolicy.Defaults(),
        "damon-tier" => tierParams is null ? DamonTierPolicy.Recommended() : new DamonTierPolicy("damon-tier", tierParams, reclaimDemotion: false),
        "damon-auto" => new Damon.Tiering.DamonAuto.DamonAutoPolicy(),
        "oracle-static" => new StaticOraclePolicy(profile ?? throw new ArgumentNullException(nameof(profile))),
        "oracle-window" => new WindowOraclePolicy(profile ?? throw new ArgumentNullException(nameof(profile))),
        "oracle-interleave" => new Damon.Tiering.InterleaveOracle.OracleInterleavePolicy(profile?.Load ?? throw new ArgumentNullException(nameof(profile))),
        "weighted-interleave" => new Damon.Tiering.WeightedInterleave.WeightedInterleavePolicy(name),
        "weighted-interleave-7-1" => new Damon.Tiering.WeightedInterleave.WeightedInterleavePolicy(name, 7, 1),
        "weighted-interleave-3-1" => new Damon.Tiering.WeightedInterleave.WeightedInterleavePolicy(name, 3, 1),
        "weighted-interleave-1-1" => new Damon.Tiering.WeightedInterleave.WeightedInterleavePolicy(name, 1, 1),
        "colloid" => new Damon.Tiering.Colloid.ColloidPolicy(),
        "bw-hillclimb" => new Damon.Tiering.BwHillclimb.BwHillclimbPolicy(),
        "damon-interleave" => new Damon.Tiering.DamonInterleave.DamonInterleavePolicy(retune: true),
        "damon-interleave-static" => new Damon.Tiering.DamonInterleave.DamonInterleavePolicy(),
        _ when AccessorNames.Contains(name) => NumaTppCatalog.Create(name),
        _ => throw new ArgumentException($"unknown policy '{name}' (known: {string.Join(", ", Known)})"),
    };
}
