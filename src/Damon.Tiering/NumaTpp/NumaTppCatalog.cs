using Damon.Tiering.Policy;

namespace Damon.Tiering.NumaTpp;

/// <summary>The accessor policies by name (docs/numa-tpp.md, "Policies").</summary>
public static class NumaTppCatalog
{
    /// <summary>Promotion out of the CPU-less (CXL) node toward each accessor only.</summary>
    public const string NumaTpp = "numa-tpp";
    /// <summary>Also the DRAM-to-DRAM paths: DAMON does NUMA balancing's job too.</summary>
    public const string NumaTppAll = "numa-tpp-all";
    /// <summary>NUMA balancing alone, numa_balancing=3.</summary>
    public const string Numab3 = "numab3";
    /// <summary>NUMA balancing alone, numa_balancing=2, promoting toward the faulting CPU's node (the two-tier harness's numab2 promotes to node 0 only).</summary>
    public const string Numab2Socket = "numab2-socket";
    /// <summary>Disjoint jobs: NUMA balancing only promotes out of CXL (=2), DAMON also owns the DRAM-to-DRAM moves.</summary>
    public const string NumaTppAllNumab2 = "numa-tpp-all+numab2-socket";
    /// <summary>The careful setting: DAMON's goal is only the CXL node's hot memory, NUMA balancing keeps the DRAM nodes.</summary>
    public const string NumaTppNumab3 = "numa-tpp+numab3";
    /// <summary>Both on with overlapping jobs: DAMON's DRAM-to-DRAM paths beside NUMA balancing.</summary>
    public const string NumaTppAllNumab3 = "numa-tpp-all+numab3";

    /// <summary>Every accessor policy, in the order the results list them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [NumaTpp, NumaTppAll, Numab3, Numab2Socket, NumaTppNumab3, NumaTppAllNumab3, NumaTppAllNumab2];

    /// <summary>Why accessor policy <paramref name="name"/> cannot run on <paramref name="machine"/>, or null (any other policy: null).</summary>
    public static string? CannotRunOn(string name, Damon.Sim.Machine.MachineSpec machine) =>
        Names.Contains(name) && machine.Sockets.Count < 2
            ? $"policy '{name}' needs a machine with two or more sockets (an accessor per socket); '{machine.Name}' has {machine.Sockets.Count}"
            : null;

    public static ITieringPolicy Create(string name) => name switch
    {
        NumaTpp => new NumaTppPolicy(),
        NumaTppAll => new NumaTppPolicy(NumaTppAll, NumaTppParams.WithDramPaths),
        Numab3 => new NumaBalancingAccessorPolicy(),
        Numab2Socket => new NumaBalancingAccessorPolicy(Numab2Socket, normal: false),
        NumaTppAllNumab2 => new NumaTppWithNumaBalancing(NumaTppAllNumab2, NumaTppParams.WithDramPaths, normal: false),
        NumaTppNumab3 => new NumaTppWithNumaBalancing(NumaTppNumab3, new NumaTppParams()),
        NumaTppAllNumab3 => new NumaTppWithNumaBalancing(NumaTppAllNumab3, NumaTppParams.WithDramPaths),
        _ => throw new ArgumentException($"unknown accessor policy '{name}'"),
    };
}
