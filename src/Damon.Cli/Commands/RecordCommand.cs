using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Damon.Cli.Simulation;
using Damon.Cli.Values;
using Damon.Host.Records;
using Damon.Records.Model;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon record</c>: a simulated run (the options of <c>damon sim</c>) whose every aggregation
/// snapshot goes into a damo record file. The file is rewritten crash-safely (temp file, then
/// rename) every --output_flush_sec of wall time and at the end, so a killed run keeps what
/// it recorded up to the last flush; Ctrl+C writes everything recorded and exits with 130.
/// </summary>
public static class RecordCommand
{
    public static Command Create()
    {
        var run = new SimRunOptions();
        var output = new Option<string>("--out", "-o")
        {
            Description = "Record file to write",
            DefaultValueFactory = _ => RecordInput.DefaultPath,
        };
        // damo record's option names; Damon's earlier names stay as aliases.
        var format = new Option<string>("--output_type", "--format")
        {
            Description = "Record file format: json_compressed, json or perf_script",
            DefaultValueFactory = _ => "json_compressed",
        };
        var flush = OptionValues.Seconds("--output_flush_sec",
            "Rewrite the record file every this much wall time while running (a bare number is seconds)", "10", aliases: "--flush_interval");
        var permission = new Option<string>("--output_permission")
        {
            Description = "Octal permission of the record file",
            DefaultValueFactory = _ => "600",
        };
        var command = new Command("record", "Record DAMON's monitoring results of a simulated run into a damo-compatible record file");
        // damo record stops after --timeout seconds; here that is the simulated duration.
        run.Duration.Aliases.Add("--timeout");
        run.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(flush);
        command.Options.Add(permission);
        command.SetAction(async (parse, cancel) =>
        {
            var request = run.Read(parse);
            string path = parse.GetValue(output)!;
            var fmt = RecordInput.ParseFormat(parse.GetValue(format)!, parse.GetResult(format)?.IdentifierToken?.Value ?? "--output_type");
            ulong flushUs = parse.GetValue(flush).Us;
            UnixFileMode? mode = RecordInput.ParsePermission(parse.GetValue(permission)!);
            // Before the run: a missing directory fails now, not after minutes of simulation.
            OutputFiles.Prepare(path);
            if (Directory.Exists(path + ".old"))
                throw new UserError($"{path}.old: cannot keep the existing record there (it is a directory)");
            var stdout = parse.InvocationConfiguration.Output;
            // The simulation runs off the invocation thread so that Ctrl+C reaches the token.
            return await Task.Run(() => Record(request, path, fmt, mode, TimeSpan.FromMicroseconds(flushUs), stdout, cancel));
        });
        return command;
    }

    private static int Record(SimRunRequest request, string path, RecordFileFormat format, UnixFileMode? mode, TimeSpan flushEvery,
        TextWriter stdout, CancellationToken cancel)
    {
        // From Ctrl+C on, the final save is pending: a forced exit waits until it is written
        // and reported, however long the record (a flush in progress is finished first).
        IDisposable? finalSave = null;
        var onCancel = cancel.Register(() => Volatile.Write(ref finalSave, PendingSaves.Enter()));
        try
        {
            return RecordAndSave(request, path, format, mode, flushEvery, stdout, cancel);
        }
        finally
        {
            // Waits for a callback under way, so none can enter after this.
            onCancel.Dispose();
            Volatile.Read(ref finalSave)?.Dispose();
        }
    }

    private static int RecordAndSave(SimRunRequest request, string path, RecordFileFormat format, UnixFileMode? mode, TimeSpan flushEvery,
        TextWriter stdout, CancellationToken cancel)
    {
        var session = SimSetup.Create(request);
        var collector = new RecordCollector();
        session.Backend.Aggregated += collector.Add;
        var sinceFlush = Stopwatch.StartNew();
        // As damo does, an existing record is kept as FILE.old; here at the first write, so a run
        // that fails before recording anything leaves it in place.
        bool firstWrite = true;
        void Save()
        {
            // A forced exit after Ctrl+C waits for a save under way, so the last snapshots are not lost.
            using var _ = PendingSaves.Enter();
            RecordInput.Write(collector.Records, path, format, mode, keepOld: firstWrite);
            firstWrite = false;
        }
        bool completed = RunProgress.Run(stdout, "recording", request.DurationUs, (_, progress) =>
            session.Run(cancel, slice =>
            {
                progress(slice.NowUs);
                if (sinceFlush.Elapsed >= flushEvery && collector.NrSnapshots > 0)
                {
                    Save();
                    sinceFlush.Restart();
                }
            }));
        Save();
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{collector.NrSnapshots} snapshots of {session.Contexts.Count} context(s) over {TextFormat.Seconds(session.Backend.NowUs)} of simulated time saved to {path} ({format.ToDamoName()})");
        if (WorkloadEnd.Line(session) is { } ended)
            stdout.Write(ended);
        if (!completed)
        {
            stdout.Write($"damon: interrupted; {summary}\n");
            return ExitCodes.Interrupted;
        }
        stdout.Write(summary + "\n");
        return ExitCodes.Ok;
    }
}
