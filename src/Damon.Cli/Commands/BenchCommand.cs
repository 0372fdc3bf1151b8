using System.CommandLine;
using System.Globalization;
using Damon.Sim.Bench;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench accuracy [--sizes 1G,10G,100G,1T] [--attrs default,tuned] [--duration 10s]
/// [--seed N] [--json FILE]</c>: the monitoring-accuracy benchmark on the simulated machine
/// (docs/results/accuracy.md). Other benchmarks join as further subcommands.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks on the simulated machine");
        command.Subcommands.Add(CreateAccuracy());
        command.Subcommands.Add(BenchTieringCommand.Create());
        return command;
    }

    private static Command CreateAccuracy()
    {
        var d = new AccuracyOptions();
        var sizes = new Option<string>("--sizes") { Description = "Footprints, comma-separated, binary units (K, M, G, T)", DefaultValueFactory = _ => "1G,10G,100G,1T" };
        var attrs = new Option<string>("--attrs") { Description = "Monitoring attributes to run: default, tuned, or both", DefaultValueFactory = _ => "default,tuned" };
        var duration = new Option<string>("--duration") { Description = "Simulated time during which windows are scored (e.g. 10s, 500ms)", DefaultValueFactory = _ => "10s" };
        var warmup = new Option<string>("--warmup") { Description = "Simulated warm-up before scoring, default attributes", DefaultValueFactory = _ => "10s" };
        var tunedWarmup = new Option<string>("--tuned-warmup") { Description = "Simulated warm-up before scoring, interval tuning", DefaultValueFactory = _ => "240s" };
        var hotMin = new Option<uint>("--hot-min-nr-accesses") { Description = "A region is hot when its nr_accesses is at least this", DefaultValueFactory = _ => d.HotMinNrAccesses };
        var gtWindows = new Option<int>("--gt-windows") { Description = "Windows scored page by page against ground truth, per case", DefaultValueFactory = _ => d.MaxGroundTruthWindows };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the machine, workload and DAMON", DefaultValueFactory = _ => d.Seed };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr" };
        var command = new Command("accuracy", "Hot-set recall/precision and engine cost of vaddr monitoring on masim-style workloads (10 % hot)")
        {
            sizes, attrs, duration, warmup, tunedWarmup, hotMin, gtWindows, seed, json, quiet,
        };
        // Off the invocation thread, so that Ctrl+C reaches the token while the cases run.
        command.SetAction((parseResult, cancel) => Task.Run(() =>
        {
            var o = new AccuracyOptions
            {
                FootprintsBytes = ParseSizes(parseResult.GetValue(sizes)!),
                Modes = ParseModes(parseResult.GetValue(attrs)!),
                DurationUs = ParseDurationUs(parseResult.GetValue(duration)!, "--duration"),
                WarmupUs = ParseDurationUs(parseResult.GetValue(warmup)!, "--warmup"),
                TunedWarmupUs = ParseDurationUs(parseResult.GetValue(tunedWarmup)!, "--tuned-warmup"),
                HotMinNrAccesses = parseResult.GetValue(hotMin),
                MaxGroundTruthWindows = parseResult.GetValue(gtWindows),
                Seed = parseResult.GetValue(seed),
            };
            try { o.Validate(); }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.UsageError); }
            var bench = new AccuracyBench(o);
            var err = parseResult.InvocationConfiguration.Error;
            if (!parseResult.GetValue(quiet))
                bench.Progress += line => err.WriteLine($"damon bench: {line}");
            var started = DateTimeOffset.UtcNow;
            var results = bench.Run(cancel);
            parseResult.InvocationConfiguration.Output.Write(AccuracyReport.FormatTable(results));
            if (parseResult.GetValue(json) is { } path)
                File.WriteAllText(path, AccuracyReport.ToJson(o, results, started));
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    internal static ulong[] ParseSizes(string text)
    {
        var list = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string s = part.EndsWith("iB", StringComparison.OrdinalIgnoreCase) ? part[..^2] : part.TrimEnd('B', 'b');
            int shift = s.Length == 0 ? 0 : char.ToUpperInvariant(s[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
            string digits = shift == 0 ? s : s[..^1];
            if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n == 0 || n > (ulong.MaxValue >> shift))
                throw new UserError($"--sizes: '{part}' is not a size (e.g. 1G, 512M, 1T)", ExitCodes.UsageError);
            list.Add(n << shift);
        }
        if (list.Count == 0) throw new UserError("--sizes: give at least one size", ExitCodes.UsageError);
        return [.. list];
    }

    private static AccuracyMode[] ParseModes(string text)
    {
        var list = new List<AccuracyMode>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            list.Add(part.ToLowerInvariant() switch
            {
                "default" => AccuracyMode.Default,
                "tuned" => AccuracyMode.Tuned,
                _ => throw new UserError($"--attrs: '{part}' is not default or tuned", ExitCodes.UsageError),
            });
        }
        if (list.Count == 0) throw new UserError("--attrs: give default, tuned or both", ExitCodes.UsageError);
        return [.. list.Distinct()];
    }

    internal static ulong ParseDurationUs(string text, string option)
    {
        string s = text.Trim();
        (string num, double scaleUs) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (s[..^2], 1e3),
            _ when s.EndsWith("us", StringComparison.OrdinalIgnoreCase) => (s[..^2], 1.0),
            _ when s.EndsWith("min", StringComparison.OrdinalIgnoreCase) => (s[..^3], 60e6),
            _ when s.EndsWith('s') || s.EndsWith('S') => (s[..^1], 1e6),
            _ => (s, 1e6),
        };
        if (!double.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0 || double.IsNaN(v) || v * scaleUs > 1e15)
            throw new UserError($"{option}: '{text}' is not a duration (e.g. 10s, 500ms, 2min)", ExitCodes.UsageError);
        return (ulong)Math.Round(v * scaleUs);
    }
}
