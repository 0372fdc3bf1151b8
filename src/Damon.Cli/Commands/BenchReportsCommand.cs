using System.CommandLine;
using Damon.Cli.Values;
using Damon.Tiering.ReportUseCases;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon bench reports [--duration 2s] [--seed N] [--json FILE] [--quiet]</c>: the three use
/// cases of the access-reporting RFC on the simulated machine (docs/access-reports.md, "Use
/// cases"): NUMA-aware placement by per-CPU monitoring, the live-migration candidate by
/// write-only monitoring, hot memory attributed to threads by per-thread monitoring.
/// </summary>
public static class BenchReportsCommand
{
    /// <summary>
    /// The seam for the fault-interference study (issue 13 part 6, FaultInterferenceStudy): its rows
    /// go here once it is merged. Until then none, so the JSON's <c>interference</c> is an empty
    /// array, never made-up rows.
    /// </summary>
    internal static IReadOnlyList<InterferenceRowView> InterferenceRows(ReportsBenchOptions o, CancellationToken cancel) => [];

    public static Command Create()
    {
        var d = new ReportsBenchOptions();
        var duration = OptionValues.Seconds("--duration",
            "Simulated run of the write-rank and thread-attribution cases (a quarter warm-up), and the placement work per thread in all-local time",
            "2s");
        var seed = OptionValues.Integer("--seed", "Seed of the machines, workloads and DAMON", ulong.MinValue, ulong.MaxValue, d.Seed);
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file (interference[]: the fault-interference study's rows; empty until that study is wired in)" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr" };
        var command = new Command("reports",
            "Access-report use cases: per-CPU NUMA placement (vs NUMA balancing), write-only live-migration ranking, per-thread hot-memory attribution")
        {
            duration, seed, json, quiet,
        };
        // Off the invocation thread, so that Ctrl+C reaches the token while the cases run.
        command.SetAction((parse, cancel) => Task.Run(() =>
        {
            if (parse.GetValue(json) is { } jsonPath)
                OutputFiles.CheckFileDirectory(jsonPath);
            var o = new ReportsBenchOptions { DurationUs = parse.GetValue(duration).Us, Seed = parse.GetValue(seed) };
            try { o.Validate(); }
            catch (ArgumentException e) { throw new UserError(e.Message, ExitCodes.UsageError); }
            var err = parse.InvocationConfiguration.Error;
            Action<string>? progress = parse.GetValue(quiet) ? null : step => err.WriteLine($"damon bench: {step}");
            var rows = InterferenceRows(o, cancel);
            var result = ReportsBench.Run(o, rows, progress, cancel);
            parse.InvocationConfiguration.Output.Write(ReportsBenchReport.FormatTable(result));
            if (parse.GetValue(json) is { } path)
                OutputFiles.WriteText(path, ReportsBenchReport.ToJson(result));
            return ExitCodes.Ok;
        }, CancellationToken.None));
        return command;
    }
}
