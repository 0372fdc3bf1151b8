using System.CommandLine;
using Damon.Cli.Values;
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
        command.Subcommands.Add(BenchThpCommand.Create());
        command.Subcommands.Add(BenchReportsCommand.Create());
        command.Subcommands.Add(BenchMergeCommand.Create());
        command.Subcommands.Add(BenchDamonXCommand.Create());
        return command;
    }

    private static Command CreateAccuracy()
    {
        var d = new AccuracyOptions();
        var sizes = new Option<string>("--sizes") { Description = "Footprints, comma-separated, binary units (K, M, G, T)", DefaultValueFactory = _ => "1G,10G,100G,1T" };
        var attrs = new Option<string>("--attrs") { Description = "Monitoring modes to run, comma-separated: default, tuned, ptp (page-table-tree checks, beyond the kernel), or all", DefaultValueFactory = _ => "default,tuned" };
        var hotSet = new Option<string>("--hot_set") { Description = "Hot set, comma-separated: stable, moving (moves when scoring starts; scores reaction time), or both", DefaultValueFactory = _ => "stable" };
        var reactionCap = OptionValues.Seconds("--reaction_cap", "Moving hot set: watch at most this long after the move for the reaction", "60s");
        var duration = OptionValues.Seconds("--duration", "Simulated time during which windows are scored (e.g. 10s, 500ms)", "10s");
        var warmup = OptionValues.Seconds("--warmup", "Simulated warm-up before scoring, default attributes", "10s", positive: false);
        var tunedWarmup = OptionValues.Seconds("--tuned_warmup", "Simulated warm-up before scoring, interval tuning", "240s", positive: false);
        var hotMin = OptionValues.Integer("--hot_min_nr_accesses", "A region is hot when its nr_accesses is at least this", uint.MinValue, uint.MaxValue, d.HotMinNrAccesses);
        var gtWindows = OptionValues.Integer("--gt_windows", "Windows scored page by page against ground truth, per case", 0, int.MaxValue, d.MaxGroundTruthWindows);
        var ptpSpan = OptionValues.Integer("--ptp_pmd_span", "ptp: PMD entries (2 MiB each) one sample reads, a power of two 1..64", 1, 64, 1 << d.PtpPmdSpanShift);
        var seed = OptionValues.Integer("--seed", "Seed of the machine, workload and DAMON", ulong.MinValue, ulong.MaxValue, d.Seed);
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var noHuge = new Option<bool>("--no_host_huge_pages") { Description = "Leave the simulator's state on the host's 4 KiB pages (no MADV_COLLAPSE after populating)" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr" };
        var command = new Command("accuracy", "Hot-set recall/precision and engine cost of vaddr monitoring on masim-style workloads (10 % hot)")
        {
            sizes, attrs, hotSet, reactionCap, duration, warmup, tunedWarmup, hotMin, gtWindows, ptpSpan, seed, json, noHuge, quiet,
        };
        // Off the invocation thread, so that Ctrl+C reaches the token while the cases run.
        command.SetAction((parseResult, cancel) => Task.Run(() =>
        {
            if (parseResult.GetValue(json) is { } jsonPath)
                OutputFiles.CheckFileDirectory(jsonPath);
            var o = new AccuracyOptions
            {
                FootprintsBytes = ParseSizes(parseResult.GetValue(sizes)!),
                Modes = ParseModes(parseResult.GetValue(attrs)!),
                HotSets = ParseHotSets(parseResult.GetValue(hotSet)!),
                DurationUs = parseResult.GetValue(duration).Us,
                ReactionCapUs = parseResult.GetValue(reactionCap).Us,
                WarmupUs = parseResult.GetValue(warmup).Us,
                TunedWarmupUs = parseResult.GetValue(tunedWarmup).Us,
                HotMinNrAccesses = parseResult.GetValue(hotMin),
                MaxGroundTruthWindows = parseResult.GetValue(gtWindows),
                Seed = parseResult.GetValue(seed),
                HostHugePages = !parseResult.GetValue(noHuge),
            };
            int span = parseResult.GetValue(ptpSpan);
            if (!System.Numerics.BitOperations.IsPow2(span))
                throw new UserError($"--ptp_pmd_span {span}: must be a power of two (1, 2, 4, ..., 64)", ExitCodes.UsageError);
            o = o with { PtpPmdSpanShift = System.Numerics.BitOperations.Log2((uint)span) };
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
                OutputFiles.WriteText(path, AccuracyReport.ToJson(o, results, started));
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }

    /// <summary>A comma-separated list of sizes; the list's commas mean no size here may group its thousands.</summary>
    internal static ulong[] ParseSizes(string text)
    {
        var list = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (ok, bytes, problem) = OptionValues.ParseSize(part, positive: true);
            if (!ok)
                throw new UserError($"--sizes {text}: '{part}': {problem}", ExitCodes.UsageError);
            list.Add(bytes);
        }
        if (list.Count == 0) throw new UserError("--sizes: give at least one size", ExitCodes.UsageError);
        return [.. list];
    }

    private static AccuracyMode[] ParseModes(string text)
    {
        var list = new List<AccuracyMode>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                list.AddRange(Enum.GetValues<AccuracyMode>());
                continue;
            }
            list.Add(part.ToLowerInvariant() switch
            {
                "default" => AccuracyMode.Default,
                "tuned" => AccuracyMode.Tuned,
                "ptp" => AccuracyMode.Ptp,
                _ => throw new UserError($"--attrs: '{part}' is not default, tuned, ptp or all", ExitCodes.UsageError),
            });
        }
        if (list.Count == 0) throw new UserError("--attrs: give default, tuned, ptp or all", ExitCodes.UsageError);
        return [.. list.Distinct()];
    }

    private static HotSetMotion[] ParseHotSets(string text)
    {
        var list = new List<HotSetMotion>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            list.Add(part.ToLowerInvariant() switch
            {
                "stable" => HotSetMotion.Stable,
                "moving" => HotSetMotion.Moving,
                _ => throw new UserError($"--hot_set: '{part}' is not stable or moving", ExitCodes.UsageError),
            });
        }
        if (list.Count == 0) throw new UserError("--hot_set: give stable, moving or both", ExitCodes.UsageError);
        return [.. list.Distinct()];
    }
}
