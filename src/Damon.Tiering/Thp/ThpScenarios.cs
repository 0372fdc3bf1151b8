using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;

namespace Damon.Tiering.Thp;

/// <summary>
/// The THP bench's scenarios: files <c>configs/scenarios/thp-*.yaml</c> (copied next to the
/// binary as the tiering suite's are), whose workloads are <c>thp-reader</c>s with per-process
/// <c>thp</c> modes (docs/scenarios.md, "THP scenarios").
/// </summary>
public static class ThpScenarios
{
    /// <summary>The bench table's scenarios, in report order.</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } =
        ["thp-bloat", "thp-tlb", "thp-mix", "thp-mix-pressure", "thp-mix-hard", "thp-mix-hard-pressure"];

    /// <summary>The tuner study's scenario: two 512 MiB readers on thp=never, so collapse is the only source of THPs.</summary>
    public const string GoalName = "thp-goal";

    public static TieringScenario Load(string name) =>
        ScenarioFile.Load(Path.Combine(ScenarioCatalog.BuiltinDirectory, name + ".yaml"));
}
