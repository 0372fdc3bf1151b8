using System.CommandLine;
using Damon.Cli.Values;
using Damon.Cli.Simulation;
using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Tier;
using Damon.Records.IO;
using Damon.Tiering.Harness;
using Damon.Tiering.Sweep;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench tiering [--scenario NAME|all | --scenario_file FILE] [--policy P,...] [--json FILE]
/// [--svg DIR] [--seed N] [--tier_params FILE] [--shard I/N]</c>:
/// the tiering policies side by side on the simulated machine (docs/results/tiering.md).
/// </summary>
public static class BenchTieringCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario or group (pressure, gups, masim, churn, memcgs) or all", DefaultValueFactory = _ => "all" };
        var scenarioFile = ScenarioChoice.FileOption();
        var policy = new Option<string?>("--policy") { Description = $"Policies, comma-separated: {string.Join(", ", PolicyCatalog.Known)}, or all (the two-tier suite: {string.Join(", ", PolicyCatalog.Names)}; default: the scenario file's policies, else all)" };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var svg = new Option<string?>("--svg") { Description = "Write an SVG plot of fast-tier hit ratio over time per scenario into this directory" };
        var seed = OptionValues.Integer("--seed", "Seed of the machine, workloads and policies", ulong.MinValue, ulong.MaxValue, 42UL);
        var quiet = new Option<bool>("--quiet") { Description = "No progress (a live bar on a terminal, a line per run on stderr when redirected)" };
        var shard = new Option<string?>("--shard") { Description = "Run shard I of N (0-based) of the scenario x policy units; merge the shards' --json files with damon bench merge" };
        var tierParams = new Option<string?>("--tier_params") { Description = "damon-tier's parameters from a damon_tier JSON/YAML file (docs/modules.md) instead of its recommended ones" };
        var command = new Command("tiering", "Tiering policies (DAMON TIER, NUMA balancing, TPP, HeMem, memtierd, oracles) on the same scenarios")
        {
            scenario, scenarioFile, policy, json, svg, seed, quiet, tierParams, shard,
        };
        // Off the invocation thread, so that Ctrl+C reaches the token while the runs go on.
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            ScenarioChoice.CheckExclusive(parse, scenario, scenarioFile);
            IReadOnlyList<TieringScenario> scenarios = parse.GetValue(scenarioFile) is { } file
                ? [ScenarioChoice.Load(file)]
                : ScenarioChoice.Builtin(parse.GetValue(scenario)!);
            List<string> policies;
            TieringShard shardChoice;
            try
            {
                string? p = parse.GetValue(policy);
                policies = p is null ? [.. scenarios.Count == 1 && scenarios[0].Policies is { } own ? own : PolicyCatalog.Names]
                    : p == "all" ? [.. PolicyCatalog.Names]
                    : p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
                foreach (var name in policies)
                    if (!PolicyCatalog.IsKnown(name))
                        throw new ArgumentException($"--policy: unknown policy '{name}' (known: {string.Join(", ", PolicyCatalog.Known)})");
                if (scenarios.Count == 0 || policies.Count == 0)
                    throw new ArgumentException("give at least one scenario and one policy");
                shardChoice = parse.GetValue(shard) is { } sh ? TieringShard.Parse(sh) : TieringShard.Whole;
            }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.UsageError); }
            foreach (var sc in scenarios)
                foreach (var name in policies)
                    if (Damon.Tiering.NumaTpp.NumaTppCatalog.CannotRunOn(name, sc.Machine) is { } why)
                        throw new UserError($"scenario '{sc.Name}': {why}", ExitCodes.ConfigRejected);
            TierParams? tp = null;
            if (parse.GetValue(tierParams) is { } tpPath)
            {
                try { tp = ModuleParamsFile.Read<TierParams>(tpPath); }
                catch (ModuleParamException e) { throw new UserError(e.Message); }
            }

            // Output places are checked before a suite of minutes runs, not after.
            if (parse.GetValue(json) is { } jsonPath)
                OutputFiles.CheckFileDirectory(jsonPath);
            if (parse.GetValue(svg) is { } svgDir)
                OutputFiles.CreateDirectory(svgDir);

            var bench = new TieringBench(new TieringBenchOptions { Scenarios = scenarios, Policies = policies, Seed = parse.GetValue(seed), TierParams = tp, Shard = shardChoice });
            var stdout = parse.InvocationConfiguration.Output;
            var report = RunWithProgress(bench, parse, parse.GetValue(quiet), cancel);
            stdout.Write(report.ToTable());
            if (parse.GetValue(json) is { } path)
                OutputFiles.WriteText(path, report.ToJsonText());
            if (parse.GetValue(svg) is { } dir)
                WritePlots(report, dir, stdout);
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    /// <summary>Writes one SVG per scenario into <paramref name="dir"/> and prints each path.</summary>
    internal static void WritePlots(TieringReport report, string dir, TextWriter stdout)
    {
        foreach (var (name, content) in report.Svgs())
        {
            string path = Path.Combine(dir, name);
            OutputFiles.WriteText(path, content);
            stdout.WriteLine($"plot: {path}");
        }
    }

    /// <summary>
    /// Runs the bench with a live bar over all runs on a terminal, a line per run on stderr when
    /// redirected (CI logs), nothing when <paramref name="quiet"/>.
    /// </summary>
    internal static TieringReport RunWithProgress(TieringBench bench, ParseResult parse, bool quiet, CancellationToken cancel)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var err = parse.InvocationConfiguration.Error;
        if (quiet)
            return bench.Run(cancel);
        if (RunProgress.Interactive(stdout))
            return RunProgress.Run(stdout, "tiering runs", (ulong)bench.NrRuns, (_, progress) =>
            {
                bench.Progress += (_, _, done, _) => progress((ulong)done);
                return bench.Run(cancel);
            });
        bench.Progress += (sc, pol, done, total) =>
        {
            int width = 30, filled = done * width / total;
            err.WriteLine($"[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {sc} {pol}");
        };
        return bench.Run(cancel);
    }
}
