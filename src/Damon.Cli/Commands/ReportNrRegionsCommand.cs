using System.CommandLine;
using Damon.Cli.Values;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report nr_regions</c>: distribution of the number of regions per snapshot.</summary>
public static class ReportNrRegionsCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var range = OptionValues.Integers("--range", "Percentiles to print as <start> <stop> <step>", new ArgumentArity(3, 3), int.MinValue, int.MaxValue, "-r");
        var sortBy = new Option<string>("--sortby", "-s") { Description = "Sort by size (default) or keep time order" };
        sortBy.AcceptOnlyFromAmong("time", "size");
        var json = new Option<bool>("--json") { Description = "Print the report as JSON for scripts" };
        var command = new Command("nr_regions", "Show the distribution of the number of regions") { input, range, sortBy, json };
        command.SetAction(parseResult =>
        {
            (int, int, int)? r = PercentileRange.Read(parseResult, range);
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            bool byTime = parseResult.GetValue(sortBy) == "time";
            parseResult.InvocationConfiguration.Output.Write(RecordInput.Report(() => parseResult.GetValue(json)
                ? NrRegionsReport.RenderJson(records, r, byTime)
                : NrRegionsReport.Render(records, r, byTime)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
