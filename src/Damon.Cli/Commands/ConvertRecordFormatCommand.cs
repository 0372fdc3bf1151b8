using System.CommandLine;
using Damon.Records.IO;

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
            // An interrupted recording's journal: converted in one pass, then removed, as damon record
            // would have done (a later record to the same file would otherwise refuse to start).
            if (RecordFiles.Exists(source) && !Directory.Exists(source) && RecordJournal.JournalRead(source) is { } journal && outPath != journal)
            {
                try
                {
                    RecordInput.Saving(() => RecordJournal.Finish(journal, outPath, target), outPath);
                }
                catch (RecordFormatException e)
                {
                    throw new UserError(e.Message);
                }
                return ExitCodes.Ok;
            }
            var records = RecordInput.Load(source);
            RecordInput.Write(records, outPath, target, mode: null);
            return ExitCodes.Ok;
        });
        return command;
    }
}
