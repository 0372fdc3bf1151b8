using System.CommandLine;
using Damon.Records.Transforms;

namespace Damon.Cli.Commands;

/// <summary><c>damon adjust</c>: re-aggregate a record to a coarser interval and write it as a new record (damo adjust).</summary>
public static class AdjustCommand
{
    public static Command Create()
    {
        var aggregate = new Option<long?>("--aggregate_interval") { Description = "New aggregation interval (microseconds)" };
        var input = new Option<string>("--input", "-i") { Description = "Input record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var output = new Option<string>("--output", "-o") { Description = "Output record file", DefaultValueFactory = _ => "damon.adjusted.data" };
        var outputType = new Option<string>("--output_type") { Description = "Output format", DefaultValueFactory = _ => "json_compressed" };
        outputType.AcceptOnlyFromAmong("json_compressed", "json", "perf_script");
        var permission = new Option<string>("--output_permission") { Description = "Permission of the output file (octal)", DefaultValueFactory = _ => "600" };
        var skip = new Option<int>("--skip") { Description = "Number of first snapshots to skip", DefaultValueFactory = _ => 20 };

        var command = new Command("adjust", "Adjust a record: coarser aggregation interval, skipped first snapshots")
        {
            aggregate, input, output, outputType, permission, skip,
        };
        var filters = new RecordFilterOptions();
        filters.AddTo(command);
        command.SetAction(parseResult =>
        {
            var mode = RecordInput.ParsePermission(parseResult.GetValue(permission)!);
            var format = RecordInput.ParseFormat(parseResult.GetValue(outputType)!, "--output_type");
            int nrSkip = parseResult.GetValue(skip);
            if (nrSkip < 0) throw new UserError("--skip must not be negative", ExitCodes.UsageError);
            var filter = filters.Parse(parseResult);
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            filter.Apply(records);
            if (parseResult.GetValue(aggregate) is long intervalUs)
            {
                if (intervalUs < 0) throw new UserError("--aggregate_interval must not be negative", ExitCodes.UsageError);
                records = RecordAdjuster.Adjust(records, intervalUs, nrSkip);
            }
            RecordInput.Write(records, parseResult.GetValue(output)!, format, mode);
            return ExitCodes.Ok;
        });
        return command;
    }
}
