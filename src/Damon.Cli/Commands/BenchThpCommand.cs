using System.CommandLine;
using Damon.Cli.Values;
using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;
using Damon.Tiering.Thp;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench thp [--scenario NAME,...|all | --scenario_file FILE] [--policy P,...|all] [--json FILE] [--svg DIR]
/// [--seed N] [--tuner_target_bp BP] [--no_tuner_study] [--quiet]</c>: access-aware transparent
/// huge pages on the simulated machine — bloat removed and speed-up kept per policy against
/// thp=always and thp=never, and the consist/temporal hugepage_mem_bp curves
/// (docs/results/thp.md). The scenarios are the files configs/scenarios/thp-*.yaml; a
/// <c>--scenario_file</c> run is that file's rows alone, without the tuner study.
/// </summary>
public static class BenchThpCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = $"Scenarios, comma-separated: {string.Join(", ", ThpScenarios.BuiltinNames)}, or all", DefaultValueFactory = _ => "all" };
        var file = ScenarioChoice.FileOption();
        var policy = new Option<string>("--policy") { Description = $"Policies, comma-separated: {string.Join(", ", ThpPolicy.All.Select(p => p.Name))}, or all", DefaultValueFactory = _ => "all" };
        var json = new Option<string?>("--json") { Description = "Also write the rows and hugepage_mem_bp series as JSON to this file" };
        var svg = new Option<string?>("--svg") { Description = "Write the tuner study's hugepage_mem_bp plot (thp-tuners.svg) into this directory" };
        var seed = OptionValues.Integer("--seed", "Seed of the machine and workloads", ulong.MinValue, ulong.MaxValue, 42UL);
        var target = OptionValues.Integer("--tuner_target_bp", "hugepage_mem_bp target of the tuner study", 1UL, 10000UL, 3000UL);
        var noTuner = new Option<bool>("--no_tuner_study") { Description = "Skip the consist/temporal study" };
        var quiet = new Option<bool>("--quiet") { Description = "No line per run on stderr" };
        var command = new Command("thp", "Access-aware THP: damos_hugepage-style module, Hildenbrand's move-out, a Huawei-style rival, against thp=always/never")
        {
            scenario, file, policy, json, svg, seed, target, noTuner, quiet,
        };
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            ScenarioChoice.CheckExclusive(parse, scenario, file);
            var fromFile = parse.GetValue(file) is { } f ? ScenarioChoice.Load(f) : null;
            var scenarios = fromFile is not null ? [fromFile]
                : Pick(parse.GetValue(scenario)!, ThpScenarios.BuiltinNames, n => n, "--scenario").Select(Builtin).ToList();
            var policies = Pick(parse.GetValue(policy)!, ThpPolicy.All, p => p.Name, "--policy");
            if (parse.GetValue(json) is { } jsonPath)
                OutputFiles.CheckFileDirectory(jsonPath);
            if (parse.GetValue(svg) is { } svgDir)
                OutputFiles.CreateDirectory(svgDir);
            ulong s = parse.GetValue(seed);
            var goal = fromFile is null && !parse.GetValue(noTuner) ? Builtin(ThpScenarios.GoalName) : null;
            var bench = new ThpBench(scenarios, policies, s, goal, parse.GetValue(target));
            var err = parse.InvocationConfiguration.Error;
            if (!parse.GetValue(quiet))
                bench.Progress += (sc, pol) => err.WriteLine($"thp: {sc} {pol}");
            List<ThpRow> rows;
            List<ThpTunerSeries> tuners;
            // A scenario file ThpRun cannot run (no scenario workloads, no process): the file's fault.
            try { (rows, tuners) = bench.Run(cancel); }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.InputError); }
            var stdout = parse.InvocationConfiguration.Output;
            stdout.Write(ThpBench.ToTable(rows, tuners));
            if (parse.GetValue(json) is { } path)
                OutputFiles.WriteText(path, ThpBench.ToJsonText(rows, tuners, s));
            if (parse.GetValue(svg) is { } dir && tuners.Count > 0)
            {
                string p = Path.Combine(dir, "thp-tuners.svg");
                OutputFiles.WriteText(p, ThpBench.TunerSvg(tuners));
                stdout.WriteLine($"plot: {p}");
            }
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    private static TieringScenario Builtin(string name)
    {
        try { return ThpScenarios.Load(name); }
        catch (ScenarioFileException e) { throw new UserError($"built-in scenario: {e.Message}"); }
    }

    private static List<T> Pick<T>(string text, IReadOnlyList<T> all, Func<T, string> name, string option)
    {
        if (text == "all")
            return [.. all];
        var picked = new List<T>();
        foreach (var n in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct())
            picked.Add(all.FirstOrDefault(x => name(x) == n)
                ?? throw new UserError($"{option}: unknown name '{n}' (known: {string.Join(", ", all.Select(name))})", ExitCodes.UsageError));
        if (picked.Count == 0)
            throw new UserError($"{option}: give at least one name", ExitCodes.UsageError);
        return picked;
    }
}
