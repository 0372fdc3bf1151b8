using System.CommandLine;
using Damon.Cli.Values;
using Damon.Tiering.Interference;
using Damon.Tiering.ReportUseCases;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench reports [--duration 2s] [--interference_duration 6s] [--interference_hot_percent 99] [--interference_keep_marks] [--seed N] [--json FILE] [--quiet]</c>: the three use
/// cases of the access-reporting RFC on the simulated machine (docs/access-reports.md, "Use
/// cases"): NUMA-aware placement by per-CPU monitoring, the live-migration candidate by
/// write-only monitoring, hot memory attributed to threads by per-thread monitoring.
/// </summary>
public static class BenchReportsCommand
{
    /// <summary>
    /// The fault-interference study's rows (issue 13 part 6, docs/results/fault-interference.md) under the
    /// bench's seed: the study's own machine, process and policies, for <paramref name="durationUs"/> of
    /// simulated time (its default 6 s; the first second is warm-up).
    /// </summary>
    internal static FaultInterferenceOptions InterferenceOptions(ulong seed, ulong durationUs, uint hotPercent = 99, bool keepMarks = false)
    {
        var d = new FaultInterferenceOptions();
        return d with
        {
            Seed = seed,
            DurationUs = durationUs,
            Workload = d.Workload with { HotProb = hotPercent / 100.0 },
            ClearStaleMarks = !keepMarks,
        };
    }

    internal static IReadOnlyList<InterferenceRowView> InterferenceRows(FaultInterferenceOptions o, CancellationToken cancel) =>
        [.. FaultInterferenceStudy.RunDetailed(o, cancel).Rows
            .Select(r => new InterferenceRowView(r.Policy, r.MisattributedFaults, r.Recall, r.PromotedBytes, r.NormRuntime))];

    public static Command Create()
    {
        var d = new ReportsBenchOptions();
        var duration = OptionValues.Seconds("--duration",
            "Simulated run of the write-rank and thread-attribution cases (a quarter warm-up), and the placement work per thread in all-local time",
            "2s");
        var interferenceDuration = OptionValues.Seconds("--interference_duration",
            "Simulated run of each fault-interference policy (the first second is warm-up)", "6s");
        var hotPercent = OptionValues.Integer("--interference_hot_percent",
            "Share of the fault-interference study's GUPS updates that go to its hot set (GUPS's usual is 90)", 1u, 100u, 99u);
        var keepMarks = new Option<bool>("--interference_keep_marks")
        {
            Description = "The page-fault primitive keeps unreached marks across samples (the RFC as restated) instead of clearing them",
        };
        var seed = OptionValues.Integer("--seed", "Seed of the machines, workloads and DAMON", ulong.MinValue, ulong.MaxValue, d.Seed);
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file (interference[]: the fault-interference study's rows)" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr" };
        var command = new Command("reports",
            "Access-report use cases: per-CPU NUMA placement (vs NUMA balancing), write-only live-migration ranking, per-thread hot-memory attribution")
        {
            duration, interferenceDuration, hotPercent, keepMarks, seed, json, quiet,
        };
        // Off the invocation thread, so that Ctrl+C reaches the token while the cases run.
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            if (parse.GetValue(json) is { } jsonPath)
                OutputFiles.CheckFileDirectory(jsonPath);
            var o = new ReportsBenchOptions { DurationUs = parse.GetValue(duration).Us, Seed = parse.GetValue(seed) };
            var io = InterferenceOptions(o.Seed, parse.GetValue(interferenceDuration).Us, parse.GetValue(hotPercent), parse.GetValue(keepMarks));
            try { o.Validate(); }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.UsageError); }
            if (io.Problem() is { } problem)
                throw new UserError($"--interference_duration {io.DurationUs / 1000} ms: {problem}", ExitCodes.UsageError);
            var err = parse.InvocationConfiguration.Error;
            Action<string>? progress = parse.GetValue(quiet) ? null : step => err.WriteLine($"damon bench: {step}");
            progress?.Invoke("fault interference");
            var rows = InterferenceRows(io, cancel);
            var result = ReportsBench.Run(o, rows, progress, cancel);
            parse.InvocationConfiguration.Output.Write(ReportsBenchReport.FormatTable(result));
            if (parse.GetValue(json) is { } path)
                OutputFiles.WriteText(path, ReportsBenchReport.ToJson(result));
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }
}
