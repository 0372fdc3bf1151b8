using Damon.Tiering.Policy;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Harness;

/// <summary>A policy that can name the movers (<see cref="Damon.Sim.Machine.FolioMigration.By"/>) it runs: its DAMON contexts, its NUMA-balancing scanners.</summary>
public interface IMoverNames
{
    /// <summary>The name of <paramref name="by"/> if it is one of this policy's movers, else null.</summary>
    string? MoverName(object by);
}

/// <summary>Who moved a folio, as the accessor results name it (docs/numa-tpp.md, "Results schema").</summary>
public static class MoverNames
{
    /// <summary>The kernel's own moves (reclaim demotion): migrations no policy or scenario asked for.</summary>
    public const string Kernel = "kernel";
    /// <summary>A scenario file's <c>migrate</c> (migratepages at a set time).</summary>
    public const string Scenario = "scenario";

    public static string Of(object? by, ITieringPolicy policy) => by switch
    {
        null => Kernel,
        ScenarioPart => Scenario,
        _ when policy is IMoverNames n && n.MoverName(by) is { } name => name,
        ITieringPolicy p => p.Name,
        _ => by.GetType().Name,
    };
}
