using System.CommandLine;

namespace Damon.Cli.Commands;

/// <summary><c>damon convert_record_format</c>: rewrite a record as json_compressed, json or perf_script.</summary>
public static class ConvertRecordFormatCommand
{
    public static Command Create()
    {
        var recordFile = new Option<string>("--record_file") { Description = "The record file", DefaultValueFactory = _ => RecordInput.DefaultPath };
        var format = new Option<string>("--format") { Description = "New file format", DefaultValueFactory = _ => "json_compressed" };
        format.AcceptOnlyFromAmong("json_compressed", "json", "perf_script");
        var outputFile = new Option<string?>("--output_file") { Description = "Path of the converted file (default: overwrite the record file)" };
        var command = new Command("convert_record_format", "Convert a record file to another format") { recordFile, format, outputFile };
        command.SetAction(parseResult =>
        {
            string source = parseResult.GetValue(recordFile)!;
            var target = RecordInput.ParseFormat(parseResult.GetValue(format)!, "--format");
            string outPath = parseResult.GetValue(outputFile) ?? source;
            OutputFiles.Prepare(outPath);
            var records = RecordInput.Load(source);
            RecordInput.Write(records, outPath, target, mode: null);
            return ExitCodes.Ok;
        });
        return command;
    }
}
