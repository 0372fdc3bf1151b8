using System.CommandLine;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary><c>damon report record_info</c>: time span and monitored address ranges of each target in a record.</summary>
public static class ReportRecordInfoCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var rawNumbers = new Option<bool>("--raw_numbers") { Description = "Print numbers in raw format" };
        var command = new Command("record_info", "Show the time span and address ranges of a record") { input, rawNumbers };
        command.SetAction(parseResult =>
        {
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            parseResult.InvocationConfiguration.Output.Write(HeatmapGuide.Render(records, parseResult.GetValue(rawNumbers)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
