using System.CommandLine;
using Damon.Cli.Values;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report footprints</c>: distribution of vsz, rss or system memory use from damo's .mem_footprint file.</summary>
public static class ReportFootprintsCommand
{
    public static Command Create()
    {
        var metric = new Argument<string>("metric") { Description = "Footprint metric: vsz, rss, sys_used or all", DefaultValueFactory = _ => "all" };
        metric.AcceptOnlyFromAmong([.. FootprintReport.Metrics]);
        var input = new Option<string>("--input", "-i") { Description = "Memory footprint file", DefaultValueFactory = _ => RecordInput.DefaultPath + ".mem_footprint" };
        var range = OptionValues.Integers("--range", "Percentiles to print as <start> <stop> <step>", new ArgumentArity(3, 3), int.MinValue, int.MaxValue, "-r");
        var sortBy = new Option<string>("--sortby", "-s") { Description = "Sort footprints by size (default) or keep time order", DefaultValueFactory = _ => "size" };
        sortBy.AcceptOnlyFromAmong("time", "size");
        var plot = new Option<string>("--plot", "-p") { Description = "Plot the distribution to an image file (needs gnuplot; not supported)" };
        var nrColsBar = OptionValues.Integer("--nr_cols_bar", "Columns for the bars", 0, Distribution.MaxNrColsBar, 59);
        var rawNumber = new Option<bool>("--raw_number") { Description = "Use machine-friendly raw numbers" };
        var allFootprint = new Option<bool>("--all_footprint") { Description = "Print every footprint value instead of percentiles" };
        var command = new Command("footprints", "Show the distribution of memory footprints") { metric, input, range, sortBy, plot, nrColsBar, rawNumber, allFootprint };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(plot) is { } plotPath)
                throw new UserError($"--plot {plotPath}: damo plots through gnuplot, which damon does not use; print the distribution instead", ExitCodes.UsageError);
            int cols = parseResult.GetValue(nrColsBar);
            var r = PercentileRange.Read(parseResult, range) ?? (0, 101, 25);
            string path = parseResult.GetValue(input)!;
            if (!File.Exists(path)) throw new UserError($"{path}: memory footprint file not found (damo record --do_record mem_footprint writes it)");
            var snapshots = RecordInput.Report(() =>
            {
                try
                {
                    return MemFootprintFile.Read(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ReportException($"{path}: cannot read ({e.Message})");
                }
            });
            parseResult.InvocationConfiguration.Output.Write(RecordInput.Report(() => FootprintReport.Render(snapshots, parseResult.GetValue(metric)!, r,
                parseResult.GetValue(sortBy) == "size", parseResult.GetValue(allFootprint), parseResult.GetValue(rawNumber), cols)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
