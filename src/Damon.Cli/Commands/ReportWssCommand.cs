using System.CommandLine;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report wss</c>: distribution of working set sizes (damo's report wss).</summary>
public static class ReportWssCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var range = new Option<int[]>("--range", "-r")
        {
            Description = "Percentiles to print as <start> <stop> <step>",
            AllowMultipleArgumentsPerToken = true,
            Arity = new ArgumentArity(3, 3),
        };
        var exclude = new Option<int>("--exclude_samples") { Description = "Number of first snapshots to exclude", DefaultValueFactory = _ => 20 };
        var accThres = new Option<long>("--acc_thres", "-t") { Description = "Minimal nr_accesses to count as working set", DefaultValueFactory = _ => 1 };
        var szThres = new Option<long>("--sz_thres") { Description = "Minimal region size to count as working set", DefaultValueFactory = _ => 1 };
        var workTime = new Option<long>("--work_time") { Description = "Time (us) each working set is aggregated over", DefaultValueFactory = _ => 1 };
        var sortBy = new Option<string>("--sortby", "-s") { Description = "Sort working set sizes by size (default) or keep time order" };
        sortBy.AcceptOnlyFromAmong("time", "size");
        var nrColsBar = new Option<int>("--nr_cols_bar") { Description = "Columns for the bars", DefaultValueFactory = _ => 59 };
        var rawNumber = new Option<bool>("--raw_number") { Description = "Use machine-friendly raw numbers" };
        var allWss = new Option<bool>("--all_wss") { Description = "Print every working set size instead of percentiles" };
        var perTarget = new Option<bool>("--per_target") { Description = "Report working set size per monitoring target" };
        var collapse = new Option<bool>("--collapse_targets") { Description = "Collapse targets into one (the default)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (raw numbers) for scripts" };

        var command = new Command("wss", "Show the distribution of working set sizes")
        {
            input, range, exclude, accThres, szThres, workTime, sortBy, nrColsBar, rawNumber, allWss, perTarget, collapse, json,
        };
        command.SetAction(parseResult =>
        {
            var options = new WssReportOptions
            {
                ExcludeSamples = parseResult.GetValue(exclude),
                AccThres = parseResult.GetValue(accThres),
                SzThres = parseResult.GetValue(szThres),
                WorkTimeUs = parseResult.GetValue(workTime),
                SortBy = parseResult.GetValue(sortBy) ?? "size",
                NrColsBar = parseResult.GetValue(nrColsBar),
                RawNumber = parseResult.GetValue(rawNumber),
                AllWss = parseResult.GetValue(allWss),
                CollapseTargets = !parseResult.GetValue(perTarget),
            };
            if (parseResult.GetValue(range) is { Length: > 0 } r) options.Range = (r[0], r[1], r[2]);
            if (options.NrColsBar > Distribution.MaxNrColsBar)
                throw new UserError($"--nr_cols_bar {options.NrColsBar}: at most {Distribution.MaxNrColsBar}", ExitCodes.UsageError);
            if (options.ExcludeSamples < 0 || options.WorkTimeUs < 0)
                throw new UserError("--exclude_samples and --work_time must not be negative", ExitCodes.UsageError);
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            parseResult.InvocationConfiguration.Output.Write(RecordInput.Report(() => parseResult.GetValue(json)
                ? WssReport.RenderJson(records, options)
                : WssReport.Render(records, options)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
