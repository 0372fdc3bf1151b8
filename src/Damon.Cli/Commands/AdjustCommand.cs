using System.CommandLine;
using Damon.Cli.Values;
using Damon.Core.Util;
using Damon.Records.Transforms;

namespace Damon.Cli.Commands;

/// <summary><c>damon adjust</c>: re-aggregate a record to a coarser interval and write it as a new record (damo adjust).</summary>
public static class AdjustCommand
{
    public static Command Create()
    {
        // damo's unit: a bare number is microseconds; "100ms" also works.
        var aggregate = OptionValues.Duration("--aggregate_interval", "New aggregation interval (a bare number is microseconds, or e.g. 100ms)",
            null, DurationText.NsPerUs, positive: true, maxUs: long.MaxValue);
        var input = new Option<string>("--input", "-i") { Description = "Input record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var output = new Option<string>("--output", "-o") { Description = "Output record file", DefaultValueFactory = _ => "damon.adjusted.data" };
        var outputType = new Option<string>("--output_type") { Description = "Output format", DefaultValueFactory = _ => "json_compressed" };
        outputType.AcceptOnlyFromAmong("json_compressed", "json", "perf_script");
        var permission = new Option<string>("--output_permission") { Description = "Permission of the output file (octal)", DefaultValueFactory = _ => "600" };
        var skip = OptionValues.Integer("--skip", "Number of first snapshots to skip", 0, int.MaxValue, 20);

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
            var filter = filters.Parse(parseResult);
            string outPath = parseResult.GetValue(output)!;
            OutputFiles.Prepare(outPath);
            var records = RecordInput.Load(parseResult.GetValue(input)!);
            filter.Apply(records);
            if (parseResult.GetResult(aggregate) is { Implicit: false })
                records = RecordAdjuster.Adjust(records, (long)parseResult.GetValue(aggregate).Us, nrSkip);
            RecordInput.Write(records, outPath, format, mode);
            return ExitCodes.Ok;
        });
        return command;
    }
}
