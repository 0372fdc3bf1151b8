using System.CommandLine;
using Damon.Cli.Values;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report wss</c>: distribution of working set sizes (damo's report wss).</summary>
public static class ReportWssCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var range = OptionValues.Integers("--range", "Percentiles to print as <start> <stop> <step>", new ArgumentArity(3, 3), int.MinValue, int.MaxValue, "-r");
        var exclude = OptionValues.Integer("--exclude_samples", "Number of first snapshots to exclude", 0, int.MaxValue, 20);
        var accThres = OptionValues.Integer("--acc_thres", "Minimal nr_accesses to count as working set", 0L, long.MaxValue, 1L, "-t");
        var szThres = OptionValues.Integer("--sz_thres", "Minimal region size (bytes) to count as working set", 0L, long.MaxValue, 1L);
        var workTime = OptionValues.Duration("--work_time", "Time each working set is aggregated over (a bare number is microseconds)", "1",
            Damon.Core.Util.DurationText.NsPerUs, positive: false, maxUs: long.MaxValue);
        var sortBy = new Option<string>("--sortby", "-s") { Description = "Sort working set sizes by size (default) or keep time order" };
        sortBy.AcceptOnlyFromAmong("time", "size");
        var nrColsBar = OptionValues.Integer("--nr_cols_bar", "Columns for the bars", 0, Distribution.MaxNrColsBar, 59);
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
                WorkTimeUs = (long)parseResult.GetValue(workTime).Us,
                SortBy = parseResult.GetValue(sortBy) ?? "size",
                NrColsBar = parseResult.GetValue(nrColsBar),
                RawNumber = parseResult.GetValue(rawNumber),
                AllWss = parseResult.GetValue(allWss),
                CollapseTargets = !parseResult.GetValue(perTarget),
            };
            if (PercentileRange.Read(parseResult, range) is { } r) options.Range = r;
            var records = RecordInput.Stream(parseResult.GetValue(input)!);
            parseResult.InvocationConfiguration.Output.Write(RecordInput.Report(() => parseResult.GetValue(json)
                ? WssReport.RenderJson(records, options)
                : WssReport.Render(records, options)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
