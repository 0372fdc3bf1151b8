using System.CommandLine;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon report raw</c>: damo's old report type, today <c>report access --raw_form</c>; kept so
/// scripts written for it still run, with the same output.
/// </summary>
public static class ReportRawCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var rawNumber = new Option<bool>("--raw_number") { Description = "Use machine-friendly raw numbers" };
        var filters = new RecordFilterOptions();
        var command = new Command("raw", "Show every snapshot and region in raw form (report access --raw_form)") { input, rawNumber };
        filters.AddTo(command);
        command.SetAction(parseResult =>
        {
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            filters.Parse(parseResult).Apply(records);
            var output = parseResult.InvocationConfiguration.Output;
            if (records.Count == 0)
                output.Write(DamoOutput.AsPrinted($"No record in {parseResult.GetValue(input)}"));
            else
                output.Write(AccessRawReport.Render(records, parseResult.GetValue(rawNumber)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
