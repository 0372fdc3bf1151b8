using System.Diagnostics;
using System.Globalization;
using Damon.Config.Schema;
using Damon.Host;
using Damon.Linux.Backend;

namespace Damon.Cli.Linux;

/// <summary>
/// What `damon record` records on the real machine: the kdamonds damo's options describe (a
/// --target_pid, --ops paddr, or the command given after `--`, which is started here as damo
/// record starts it), run by a <see cref="LinuxBackend"/> in kernel mode (the kernel monitors;
/// Damon reads the regions each aggregation) or user mode. It ends at --timeout, at Ctrl+C or
/// SIGTERM, or when the monitored processes exit.
/// </summary>
internal sealed class LinuxRecordSource : IDisposable
{
    private readonly Process? _child;

    public LinuxBackend Backend { get; }

    public ulong? TimeoutUs { get; }

    /// <summary>The started command's pid, when record started one.</summary>
    public int? ChildPid => _child?.Id;

    private LinuxRecordSource(LinuxBackend backend, Process? child, ulong? timeoutUs)
    {
        Backend = backend;
        _child = child;
        TimeoutUs = timeoutUs;
    }

    public static LinuxRecordSource Start(LinuxMachine machine, IReadOnlyList<string> damoTokens, IReadOnlyList<string> command,
        ulong? timeoutUs, TextWriter notices)
    {
        var tree = machine.OpenAdmin("record", write: true);
        Process? child = null;
        var tokens = damoTokens.ToList();
        if (command.Count > 0)
        {
            if (tokens.Contains("--target_pid"))
                throw new UserError("record: give either --target_pid or a command after --, not both", ExitCodes.UsageError);
            child = StartChild(command);
            tokens.AddRange(["--target_pid", child.Id.ToString(CultureInfo.InvariantCulture)]);
        }
        try
        {
            var spec = LinuxSpecs.Build(tokens, machine);
            var backend = LinuxErrors.Run(() =>
            {
                var b = new LinuxBackend(new LinuxBackendOptions { Mode = machine.Mode, Tree = tree, Layout = machine.Layout, Notices = notices });
                try
                {
                    b.Start(spec);
                    return b;
                }
                catch
                {
                    b.Dispose();
                    throw;
                }
            });
            return new LinuxRecordSource(backend, child, timeoutUs);
        }
        catch
        {
            EndChild(child);
            throw;
        }
    }

    private static Process StartChild(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var a in command.Skip(1))
            info.ArgumentList.Add(a);
        try
        {
            return Process.Start(info) ?? throw new UserError($"record: could not start '{command[0]}'", ExitCodes.UsageError);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserError($"record: cannot start '{command[0]}': {e.Message}", ExitCodes.UsageError);
        }
    }

    private ulong _runStartUs, _runEndUs;

    /// <summary>How long the recording ran (from the kdamonds' start to the run's end, without the setup before).</summary>
    public ulong RecordedUs => _runEndUs - _runStartUs;

    /// <summary>Runs until the timeout, the targets' exit, or <paramref name="cancel"/>; false when cancelled.</summary>
    public bool Run(CancellationToken cancel, Action<RunSlice> afterSlice)
    {
        _runStartUs = Backend.NowUs;
        void OnSlice(RunSlice s) => afterSlice(s);
        Backend.SliceEnded += OnSlice;
        try
        {
            var end = LinuxErrors.Run(() => Backend.Run(TimeoutUs is ulong t ? RunLimit.ForUs(t) : RunLimit.UntilStopped, cancel));
            EndReason = end.Reason;
            _runEndUs = end.EndUs;
            return end.Reason != RunEndReason.Cancelled;
        }
        finally
        {
            Backend.SliceEnded -= OnSlice;
            Backend.Stop();
        }
    }

    public RunEndReason? EndReason { get; private set; }

    /// <summary>The line saying the targets ended the recording before --timeout, or null.</summary>
    public string? EndLine => EndReason == RunEndReason.TargetsGone
        ? string.Create(CultureInfo.InvariantCulture, $"The monitored processes exited after {RecordedUs / 1e6:0.00} s; the recording stops there.\n")
        : null;

    /// <summary>A command record started ends with the recording, as damo's does.</summary>
    private static void EndChild(Process? child)
    {
        if (child is null)
            return;
        try
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
        child.Dispose();
    }

    public void Dispose()
    {
        Backend.Dispose();
        EndChild(_child);
    }
}
