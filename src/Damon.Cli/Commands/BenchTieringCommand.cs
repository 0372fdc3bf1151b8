using System.CommandLine;
using Damon.Tiering.Harness;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench tiering [--scenario NAME|all] [--policy P,...] [--json FILE] [--svg DIR] [--seed N]</c>:
/// the tiering policies side by side on the simulated machine (docs/results/tiering.md).
/// </summary>
public static class BenchTieringCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario or group (pressure, gups, masim, churn, memcgs) or all", DefaultValueFactory = _ => "all" };
        var policy = new Option<string>("--policy") { Description = $"Policies, comma-separated: {string.Join(", ", PolicyCatalog.Names)}", DefaultValueFactory = _ => "all" };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var svg = new Option<string?>("--svg") { Description = "Write an SVG plot of fast-tier hit ratio over time per scenario into this directory" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the machine, workloads and policies", DefaultValueFactory = _ => 42 };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar on stderr" };
        var command = new Command("tiering", "Tiering policies (DAMON TIER, NUMA balancing, TPP, HeMem, memtierd, oracles) on the same scenarios")
        {
            scenario, policy, json, svg, seed, quiet,
        };
        command.SetAction(parse =>
        {
            IReadOnlyList<TieringScenario> scenarios;
            List<string> policies;
            try
            {
                scenarios = parse.GetValue(scenario)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .SelectMany(ScenarioCatalog.Select).DistinctBy(s => s.Name).ToList();
                string p = parse.GetValue(policy)!;
                policies = p == "all" ? [.. PolicyCatalog.Names]
                    : p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
                foreach (var name in policies)
                    if (!PolicyCatalog.Names.Contains(name))
                        throw new ArgumentException($"--policy: unknown policy '{name}' (known: {string.Join(", ", PolicyCatalog.Names)})");
                if (scenarios.Count == 0 || policies.Count == 0)
                    throw new ArgumentException("give at least one scenario and one policy");
            }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.UsageError); }

            var bench = new TieringBench(new TieringBenchOptions { Scenarios = scenarios, Policies = policies, Seed = parse.GetValue(seed) });
            var err = parse.InvocationConfiguration.Error;
            if (!parse.GetValue(quiet))
                bench.Progress += (sc, pol, done, total) =>
                {
                    int width = 30, filled = done * width / total;
                    err.WriteLine($"[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} {sc} {pol}");
                };
            var report = bench.Run();
            var stdout = parse.InvocationConfiguration.Output;
            stdout.Write(report.ToTable());
            if (parse.GetValue(json) is { } path)
                File.WriteAllText(path, report.ToJsonText());
            if (parse.GetValue(svg) is { } dir)
                foreach (var f in report.WriteSvgs(dir))
                    stdout.WriteLine($"plot: {f}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
