using Damon.Sim.Machine;
using Damon.Sim.Workloads;

namespace Damon.Tiering.Harness;

/// <summary>
/// One evaluation case: the machine, a workload factory (every policy gets a fresh, identical
/// workload), how long to run, which processes count as the application (a pre-fill does not), and
/// when the access pattern changes (for time-to-converge).
/// </summary>
public sealed record TieringScenario(
    string Name,
    string Group,
    string Description,
    MachineSpec Machine,
    Func<IWorkload> Workload,
    ulong DurationUs,
    IReadOnlyList<ulong> PhaseChangesUs)
{
    /// <summary>Process names left out of the application's metrics.</summary>
    public IReadOnlySet<string> ExcludedProcesses { get; init; } = new HashSet<string>();

    /// <summary>The policies a scenario file names (null: the caller's choice, by default all).</summary>
    public IReadOnlyList<string>? Policies { get; init; }

    /// <summary>damon-tier's parameters a scenario file gives (null: its recommended ones).</summary>
    public Damon.Modules.Tier.TierParams? TierParams { get; init; }

    /// <summary>The all-fast baseline of a scenario: a scenario file's membind and page moves are off.</summary>
    public bool AllFastBaseline { get; init; }

    /// <summary>The scenario file this came from (null: built in code).</summary>
    public string? SourceFile { get; init; }
}
