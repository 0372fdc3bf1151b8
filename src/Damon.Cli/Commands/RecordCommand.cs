using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Damon.Cli.Linux;
using Damon.Cli.Simulation;
using Damon.Cli.Values;
using Damon.Host;
using Damon.Host.Records;
using Damon.Linux.Metrics;
using Damon.Records.IO;
using Damon.Records.Model;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon record</c>: a simulated run (the options of <c>damon sim</c>) whose every aggregation
/// snapshot goes into a damo record file. Every --output_flush_sec of wall time the new snapshots
/// are appended to FILE.journal (<see cref="StreamingRecordFile"/>), which is turned into FILE at
/// the end, so a killed run keeps what it recorded up to the last flush; Ctrl+C saves the rest
/// and exits with 130.
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
        var linux = new LinuxOptions();
        var command = new Command("record",
            "Record DAMON's monitoring results into a damo-compatible record file: of a simulated run, or on this machine's kernel of "
            + "--target_pid PID, --ops paddr or a command given after -- (docs/cli.md, \"Simulator or real Linux\")");
        // damo record stops after --timeout seconds; here that is the simulated duration.
        run.Duration.Aliases.Add("--timeout");
        run.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(flush);
        command.Options.Add(permission);
        command.Options.Add(linux.Backend);
        linux.AddRoots(command);
        linux.AddMode(command);
        command.SetAction(async (parse, cancel) =>
        {
            var request = run.Read(parse);
            var (damoTokens, childCommand) = SplitCommand(parse, request.DamoTokens);
            bool onLinux = RunsOnLinux(parse, run, linux, damoTokens, childCommand);
            if (!onLinux && childCommand.Count > 0)
                throw new UserError($"a command after -- is started and recorded on this machine's kernel, not on the simulator (drop --backend sim, --workload, --machine and --seed): {string.Join(' ', childCommand)}",
                    ExitCodes.UsageError);
            string path = parse.GetValue(output)!;
            var fmt = RecordInput.ParseFormat(parse.GetValue(format)!, parse.GetResult(format)?.IdentifierToken?.Value ?? "--output_type");
            ulong flushUs = parse.GetValue(flush).Us;
            UnixFileMode? mode = RecordInput.ParsePermission(parse.GetValue(permission)!);
            // Before the run: a missing directory fails now, not after minutes of simulation.
            OutputFiles.Prepare(path);
            if (Directory.Exists(path + ".old"))
                throw new UserError($"{path}.old: cannot keep the existing record there (it is a directory)");
            var stdout = parse.InvocationConfiguration.Output;
            var flushEvery = TimeSpan.FromMicroseconds(flushUs);
            if (onLinux)
            {
                var machine = linux.Read(parse);
                ulong? timeoutUs = parse.GetResult(run.Duration) is { Implicit: false } ? request.DurationUs : null;
                var err = parse.InvocationConfiguration.Error;
                return await Task.Run(() =>
                {
                    using var source = LinuxRecordSource.Start(machine, damoTokens, childCommand, timeoutUs, err);
                    string started = source.ChildPid is int childPid ? $" of the started command (pid {childPid})" : "";
                    return Record(new RecordRun(source.Backend, source.Backend.Contexts.Count, timeoutUs ?? 0, "of run time" + started,
                        source.Run, () => source.EndLine, () => source.RecordedUs, LinuxErrors.Run(() => NodeTopology.CpuToNode(machine.SysRoot))),
                        path, fmt, mode, flushEvery, stdout, cancel);
                });
            }
            // The simulation runs off the invocation thread so that Ctrl+C reaches the token.
            return await Task.Run(() =>
            {
                var session = SimSetup.Create(request);
                var cpuToNode = session.Sim.Machine.Spec.Sockets.SelectMany(sk => sk.Cpus.Select(c => (Cpu: c, sk.Node))).ToDictionary(x => x.Cpu, x => x.Node);
                return Record(new RecordRun(session.Backend, session.Contexts.Count, request.DurationUs, "of simulated time",
                    session.Run, () => WorkloadEnd.Line(session), () => session.Backend.NowUs, cpuToNode), path, fmt, mode, flushEvery, stdout, cancel);
            });
        });
        return command;
    }

    /// <summary>The words after `--` are the command damo record starts; the rest are damo's options.</summary>
    private static (List<string> Damo, List<string> Command) SplitCommand(ParseResult parse, IReadOnlyList<string> tokens)
    {
        int dash = parse.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        if (dash < 0)
            return ([.. tokens], []);
        var command = parse.Tokens.Skip(dash + 1).Select(t => t.Value).ToList();
        if (command.Count == 0)
            throw new UserError("--: give the command to start and record after it", ExitCodes.UsageError);
        var damo = tokens.ToList();
        // The command's words arrive among damo's tokens, at their end.
        if (damo.Count >= command.Count && damo.Skip(damo.Count - command.Count).SequenceEqual(command))
            damo.RemoveRange(damo.Count - command.Count, command.Count);
        return (damo, command);
    }

    /// <summary>
    /// The rule (docs/cli.md): --backend decides when given (and --sysfs_root means linux);
    /// otherwise a real target — --target_pid, --ops paddr, a pid or paddr as damo's positional
    /// target, or a command after -- — means this machine's kernel, unless --workload, --machine
    /// or --seed describe a simulated run. Everything else is the simulator, as before.
    /// </summary>
    private static bool RunsOnLinux(ParseResult parse, SimRunOptions run, LinuxOptions linux, IReadOnlyList<string> damo, IReadOnlyList<string> command)
    {
        if (linux.ExplicitLinux(parse) is bool explicitly)
            return explicitly;
        if (parse.GetResult(run.Workload) is { Implicit: false } || parse.GetResult(run.Machine) is not null || parse.GetResult(run.Seed) is { Implicit: false })
            return false;
        if (command.Count > 0)
            return true;
        try
        {
            var args = Damon.Config.Args.DamoArgs.Parse(damo);
            return args.Given("target_pid") || args.Singles("ops").Contains("paddr") || args.DeducibleTarget is { } t && (t == "paddr" || t.All(char.IsAsciiDigit));
        }
        catch (Damon.Config.ConfigException)
        {
            // Told by the run's own parse, with the option named.
            return false;
        }
    }

    /// <summary>One recording: the backend, how many contexts, how it runs, how its time and early end are told.</summary>
    /// <param name="CpuToNode">cpu_to_node() of the machine, written into the record for breakdowns by node; null when unknown.</param>
    private sealed record RecordRun(IDamonBackend Backend, int NrContexts, ulong ProgressTotalUs, string TimeText,
        Func<CancellationToken, Action<RunSlice>, bool> Run, Func<string?> EndLine, Func<ulong> ElapsedUs,
        IReadOnlyDictionary<int, int>? CpuToNode = null);

    private static int Record(RecordRun run, string path, RecordFileFormat format, UnixFileMode? mode, TimeSpan flushEvery,
        TextWriter stdout, CancellationToken cancel)
    {
        // From Ctrl+C until the last snapshots are in the journal, the final save is pending: a
        // forced exit waits for it (a flush in progress is finished first). The conversion into
        // FILE after it is not waited for.
        var gate = new object();
        bool journaled = false;
        IDisposable? finalSave = null;
        var onCancel = cancel.Register(() =>
        {
            lock (gate)
                if (!journaled) finalSave = PendingSaves.Enter();
        });
        void Journaled()
        {
            lock (gate)
            {
                journaled = true;
                finalSave?.Dispose();
            }
        }
        try
        {
            return RecordAndSave(run, path, format, mode, flushEvery, stdout, Journaled, cancel);
        }
        finally
        {
            // Waits for a callback under way, so none can enter after this.
            onCancel.Dispose();
            Journaled();
        }
    }

    private static int RecordAndSave(RecordRun run, string path, RecordFileFormat format, UnixFileMode? mode, TimeSpan flushEvery,
        TextWriter stdout, Action journaled, CancellationToken cancel)
    {
        var collector = new RecordCollector { CpuToNode = run.CpuToNode };
        run.Backend.Aggregated += collector.Add;
        var sinceFlush = Stopwatch.StartNew();
        // Each save appends the new snapshots to FILE.journal and drops them from memory. As damo
        // does, an existing record is kept as FILE.old; here at the first save, so a run that
        // fails before recording anything leaves it in place.
        using var file = new StreamingRecordFile(path, format, mode, backupPath: path + ".old");
        void Save()
        {
            // A forced exit after Ctrl+C waits for a save under way, so the last snapshots are not lost.
            using var _ = PendingSaves.Enter();
            RecordInput.Saving(() => file.Flush(collector.Records), path);
        }
        bool completed = RunProgress.Run(stdout, "recording", run.ProgressTotalUs, (_, progress) =>
            run.Run(cancel, slice =>
            {
                progress(slice.NowUs);
                if (sinceFlush.Elapsed >= flushEvery && collector.NrSnapshots > 0)
                {
                    Save();
                    sinceFlush.Restart();
                }
            }));
        Save();
        journaled();
        string Summary(string savedTo) => string.Create(CultureInfo.InvariantCulture,
            $"{collector.NrSnapshots} snapshots of {run.NrContexts} context(s) over {TextFormat.Seconds(run.ElapsedUs())} {run.TimeText} saved to {savedTo}");
        string journalPath = file.JournalPath;
        // Ctrl+C's forced exit abandons the conversion: the journal holds everything, and
        // 'damon report' reads it as the record.
        using (var conversion = PendingSaves.BeginConversion(
            $"damon: interrupted; {Summary(journalPath)} (the record's journal, which damon report reads as {path}); "
            + $"make {path} of it with '{RecordJournal.ConvertCommand(journalPath, format)}'",
            // The journal is whole; only the half-written FILE would be left.
            () => AtomicFile.RemoveOwnTemps(path)))
        {
            try
            {
                RecordInput.Saving(() => file.Complete(collector.Records, conversion.Token), path);
            }
            catch (OperationCanceledException) when (conversion.Token.IsCancellationRequested)
            {
                if (run.EndLine() is { } endedEarly)
                    stdout.Write(endedEarly);
                conversion.SayOnce(stdout);
                return ExitCodes.Interrupted;
            }
        }
        string summary = Summary($"{path} ({format.ToDamoName()})");
        if (run.EndLine() is { } ended)
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
