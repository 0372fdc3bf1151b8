using System.CommandLine;
using Damon.Cli.Values;
using Damon.Tiering.Harness;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon demo [--scenario NAME | --scenario_file FILE] [--out DIR] [--seed N] [--quiet]</c>: the README's main job. DAMON
/// tiering (TIER, recommended setting) against no migration and NUMA-balancing tiering on one
/// scenario of <c>damon bench tiering</c> — by default a zipfian KV store after cold data took 75 %
/// of the fast node — with the table, a JSON file and a plot of the fast-tier hit ratio over time.
/// </summary>
public static class DemoCommand
{
    public const string DefaultScenario = "pressure-75";
    public static readonly string[] Policies = ["first-touch", "numab2", "damon-tier"];

    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario of `damon bench tiering` to run", DefaultValueFactory = _ => DefaultScenario };
        var scenarioFile = ScenarioChoice.FileOption();
        var outDir = new Option<string>("--out") { Description = "Directory for the plot (SVG) and the results (JSON)", DefaultValueFactory = _ => "damon-demo" };
        var seed = OptionValues.Integer("--seed", "Seed of the machine, workload and policies", ulong.MinValue, ulong.MaxValue, 42UL);
        var quiet = new Option<bool>("--quiet") { Description = "No progress (a live bar on a terminal, a line per run on stderr when redirected)" };
        var command = new Command("demo", "Tiering demo: DAMON TIER vs no migration vs NUMA-balancing tiering on one workload (seconds)")
        {
            scenario, scenarioFile, outDir, seed, quiet,
        };
        // Off the invocation thread, so that Ctrl+C reaches the token while the runs go on.
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            ScenarioChoice.CheckExclusive(parse, scenario, scenarioFile);
            string name = parse.GetValue(scenario)!;
            var sc = parse.GetValue(scenarioFile) is { } file ? ScenarioChoice.Load(file)
                : ScenarioCatalog.BuiltinNames.Contains(name) ? ScenarioChoice.Builtin(name)[0]
                : throw new UserError($"--scenario: unknown scenario '{name}' (known: {string.Join(", ", ScenarioCatalog.BuiltinNames)})", ExitCodes.UsageError);
            // A scenario file's own policy list replaces the demo's three.
            var policies = sc.Policies ?? Policies;
            string dir = parse.GetValue(outDir)!;
            OutputFiles.CreateDirectory(dir);

            var stdout = parse.InvocationConfiguration.Output;
            var m = sc.Machine;
            stdout.WriteLine($"machine: {m.Name}: " + string.Join(", ", m.Nodes.Select(n =>
                $"node {n.Id} {n.CapacityBytes >> 20} MiB {n.ReadLatencyNs} ns {n.BandwidthGBps} GB/s")));
            stdout.WriteLine($"workload: {sc.Name}: {sc.Description}; {sc.DurationUs / 1e6:0.#} s simulated");
            stdout.WriteLine($"policies: {string.Join(", ", policies)} (runtime normalised to a machine whose fast node holds everything)");
            stdout.WriteLine();

            var bench = new TieringBench(new TieringBenchOptions { Scenarios = [sc], Policies = policies, Seed = parse.GetValue(seed) });
            var report = BenchTieringCommand.RunWithProgress(bench, parse, parse.GetValue(quiet), cancel);
            stdout.Write(report.ToTable());
            stdout.WriteLine();

            string json = Path.Combine(dir, $"tiering-{sc.Name}.json");
            OutputFiles.WriteText(json, report.ToJsonText());
            BenchTieringCommand.WritePlots(report, dir, stdout);
            stdout.WriteLine($"json: {json}");
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }
}
