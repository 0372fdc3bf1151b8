using Damon.Sim.Machine;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Harness;

/// <summary>
/// The default suite: scenario files under configs/scenarios/ (docs/scenarios.md), copied next to
/// the binary, scaled so that every policy on every scenario fits in ten minutes on two cores: a
/// 256 MiB fast node and a 1 GiB slow node, runs of 8–16 s of simulated time, and a time scale of
/// 1 s for 30 s where a scenario quotes minutes (the churn period). Sizes keep each source's
/// ratios, not its absolute sizes.
/// </summary>
public static class ScenarioCatalog
{
    /// <summary>Where the built-in scenario files are: <c>scenarios/</c> next to the binary (copied from configs/scenarios/).</summary>
    public static string BuiltinDirectory => Path.Combine(AppContext.BaseDirectory, "scenarios");

    /// <summary>The built-in scenario files' names, in suite order.</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } =
        ["pressure-0", "pressure-25", "pressure-50", "pressure-75", "pressure-100", "gups-move", "masim-stairs", "masim-zigzag", "churn", "memcgs"];

    /// <summary>The suite's machine (two-tier-scaled.machine.json: large-node watermarks on scaled-down nodes).</summary>
    public static MachineSpec Machine() => MachineFile.Load(Path.Combine(BuiltinDirectory, "two-tier-scaled.machine.json"));

    /// <summary>One built-in scenario, read from its file.</summary>
    public static TieringScenario LoadBuiltin(string name) =>
        ScenarioFile.Load(Path.Combine(BuiltinDirectory, name + ".yaml"));

    /// <summary>Every built-in scenario, in suite order; <c>group</c> names select several at once.</summary>
    public static IReadOnlyList<TieringScenario> All() => BuiltinNames.Select(LoadBuiltin).ToList();

    public static IReadOnlyList<TieringScenario> Select(string nameOrGroup)
    {
        if (nameOrGroup == "all") return All();
        if (BuiltinNames.Contains(nameOrGroup)) return [LoadBuiltin(nameOrGroup)];
        var all = All();
        var hit = all.Where(s => s.Group == nameOrGroup).ToList();
        return hit.Count > 0 ? hit
            : throw new ArgumentException($"unknown scenario '{nameOrGroup}' (known: all, {string.Join(", ", all.Select(s => s.Name).Concat(all.Select(s => s.Group)).Distinct())})");
    }
}
