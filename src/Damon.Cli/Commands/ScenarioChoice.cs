using System.CommandLine;
using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>--scenario NAME</c> or <c>--scenario_file FILE</c> (also spelled <c>--scenario-file</c>, as
/// issue 12 does) for <c>demo</c> and <c>bench tiering</c>: built-in names load the files under
/// <c>scenarios/</c> next to the binary (configs/scenarios/ in the repository).
/// </summary>
internal static class ScenarioChoice
{
    public static Option<string?> FileOption() =>
        new("--scenario_file", "--scenario-file") { Description = "Run the scenario in this YAML file (docs/scenarios.md) instead of --scenario" };

    /// <summary>Refuses both options at once (usage error, exit 2).</summary>
    public static void CheckExclusive(ParseResult parse, Option<string> scenario, Option<string?> file)
    {
        if (parse.GetValue(file) is not null && parse.GetResult(scenario) is { Implicit: false })
            throw new UserError("give --scenario or --scenario_file, not both", ExitCodes.UsageError);
    }

    /// <summary>Loads a scenario file; a bad one is an input error (exit 3) of one line.</summary>
    public static TieringScenario Load(string path)
    {
        try { return ScenarioFile.Load(path); }
        catch (ScenarioFileException e) { throw new UserError(e.Message); }
    }

    /// <summary>Built-in scenarios by name or group; an unknown one is a usage error, a broken file an input error.</summary>
    public static IReadOnlyList<TieringScenario> Builtin(string names)
    {
        try
        {
            return names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(ScenarioCatalog.Select).DistinctBy(s => s.Name).ToList();
        }
        catch (ArgumentException e) { throw new UserError("--scenario: " + e.Message, ExitCodes.UsageError); }
        catch (ScenarioFileException e) { throw new UserError($"built-in scenario: {e.Message}"); }
    }
}
