using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Damon.Cli.Values;
using Damon.Tiering.DamonX;
using Damon.Tiering.Harness;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench damon-x [--scenario NAME] [--duration S] [--seed N] [--json FILE]</c>: RECLAIM,
/// LRU_SORT, STAT and TIER each alone, as four separate kdamonds and in one shared context
/// (docs/results/damon-x.md).
/// </summary>
public static class BenchDamonXCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = $"A built-in tiering scenario without page moves ({string.Join(", ", ScenarioCatalog.BuiltinNames)})", DefaultValueFactory = _ => DamonXBench.DefaultScenario };
        var duration = OptionValues.Seconds("--duration", "Simulated time per run (default: the scenario's)", null);
        var seed = OptionValues.Integer("--seed", "Seed of the machine, workload and modules", ulong.MinValue, ulong.MaxValue, 42UL);
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr" };
        var command = new Command("damon-x", "DAMON-X: RECLAIM + LRU_SORT + STAT + TIER in one shared context against separate kdamonds")
        {
            scenario, duration, seed, json, quiet,
        };
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            if (parse.GetValue(json) is { } jsonPath)
                OutputFiles.CheckFileDirectory(jsonPath);
            string name = parse.GetValue(scenario)!;
            if (!ScenarioCatalog.BuiltinNames.Contains(name))
                throw new UserError($"--scenario: unknown scenario '{name}' (known: {string.Join(", ", ScenarioCatalog.BuiltinNames)})", ExitCodes.UsageError);
            ulong? durationUs = parse.GetResult(duration) is { Tokens.Count: > 0 } ? parse.GetValue(duration).Us : null;
            var bench = new DamonXBench(name, parse.GetValue(seed), durationUs);
            var err = parse.InvocationConfiguration.Error;
            if (!parse.GetValue(quiet))
                bench.Progress += line => err.WriteLine($"damon bench: {line}");
            DamonXResult result;
            try { result = bench.Run(cancel); }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.UsageError); }
            parse.InvocationConfiguration.Output.Write(FormatTable(result));
            if (parse.GetValue(json) is { } path)
                OutputFiles.WriteText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    internal static string FormatTable(DamonXResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"engine CPU ({r.CpuClock}, {r.SimulatedS:F0} s simulated): shared {r.SharedEngineCpuMs:F0} ms, four separate {r.SeparateEngineCpuMs:F0} ms " +
            $"(ratio {(r.SeparateEngineCpuMs == 0 ? 0 : r.SharedEngineCpuMs / r.SeparateEngineCpuMs):F2}), solo runs summed {r.SoloEngineCpuMsSum:F0} ms; " +
            $"regions {r.SharedNrRegionsMean:F0} shared, {r.SeparateNrRegionsMean:F0} separate");
        sb.AppendLine(ci, $"{"module",-15} {"solo",14} {"separate",14} {"shared",14} {"shared/solo",12}  metric");
        foreach (var m in r.Modules)
            sb.AppendLine(ci, $"{m.Name,-15} {m.SoloResult,14:G6} {m.SeparateResult,14:G6} {m.SharedResult,14:G6} {(m.SoloResult == 0 ? 0 : m.SharedResult / m.SoloResult),12:F4}  {m.Metric}");
        return sb.ToString();
    }
}
