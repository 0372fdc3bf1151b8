using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Damon.Cli.Simulation;
using Damon.Records.Model;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon record</c>: a simulated run (the options of <c>damon sim</c>) whose every aggregation
/// snapshot goes into a damo record file. The file is rewritten crash-safely (temp file, then
/// rename) every --flush_interval seconds of wall time and at the end, so a killed run keeps what
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
        var format = new Option<string>("--format")
        {
            Description = "Record file format: json_compressed, json or perf_script",
            DefaultValueFactory = _ => "json_compressed",
        };
        var flush = new Option<double>("--flush_interval")
        {
            Description = "Rewrite the record file every this many seconds of wall time while running",
            DefaultValueFactory = _ => 10,
        };
        var permission = new Option<string?>("--output_permission") { Description = "Octal permission of the record file (e.g. 600)" };
        var command = new Command("record", "Record DAMON's monitoring results of a simulated run into a damo-compatible record file");
        run.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(flush);
        command.Options.Add(permission);
        command.SetAction(async (parse, cancel) =>
        {
            var request = run.Read(parse);
            string path = parse.GetValue(output)!;
            var fmt = RecordInput.ParseFormat(parse.GetValue(format)!, "--format");
            ulong flushUs = SimRunOptions.PositiveSecondsUs(parse, flush);
            UnixFileMode? mode = parse.GetValue(permission) is { } p ? RecordInput.ParsePermission(p) : null;
            var stdout = parse.InvocationConfiguration.Output;
            // The simulation runs off the invocation thread so that Ctrl+C reaches the token.
            return await Task.Run(() => Record(request, path, fmt, mode, TimeSpan.FromMicroseconds(flushUs), stdout, cancel));
        });
        return command;
    }

    private static int Record(SimRunRequest request, string path, RecordFileFormat format, UnixFileMode? mode, TimeSpan flushEvery,
        TextWriter stdout, CancellationToken cancel)
    {
        var session = SimSetup.Create(request);
        var collector = new RecordCollector();
        session.Sim.Snapshot += (ctx, nowUs) => collector.Add(CapturedSnapshot.Capture(session.ContextOf(ctx), nowUs));
        var sinceFlush = Stopwatch.StartNew();
        bool completed = RunProgress.Run(stdout, "recording", request.DurationUs, (_, progress) =>
            session.Run(cancel, nowUs =>
            {
                progress(nowUs);
                if (sinceFlush.Elapsed >= flushEvery && collector.NrSnapshots > 0)
                {
                    RecordInput.Write(collector.Records, path, format, mode);
                    sinceFlush.Restart();
                }
            }));
        RecordInput.Write(collector.Records, path, format, mode);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{collector.NrSnapshots} snapshots of {session.Contexts.Count} context(s) over {TextFormat.Seconds(session.Sim.NowUs)} of simulated time saved to {path} ({format.ToDamoName()})");
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
