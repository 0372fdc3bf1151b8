using System.Runtime.InteropServices;

namespace Damon.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM for one invocation: the first signal cancels the command's token,
/// so the engine stops at its next kdamond iteration or workload batch and the command saves and
/// reports what it has. If the command has not returned after <see cref="GraceMs"/>, the process
/// exits with 130 anyway, after any record save in progress (<see cref="PendingSaves"/>) is done;
/// a conversion of a complete journal into the record file is abandoned instead, and the command
/// (or, if it does not return, this) prints the one line saying where the record is.
/// </summary>
/// <remarks>
/// System.CommandLine's own handler is not used: it exits 143 on SIGTERM, does not see
/// synchronous actions, and its timeout would cut a final save short.
/// </remarks>
internal sealed class Interruption : IDisposable
{
    /// <summary>
    /// How long a cancelled command may take to return before the process ends regardless: with
    /// the exit itself, the process is gone within a second of the signal.
    /// </summary>
    public const int GraceMs = 750;

    /// <summary>How long a command that has just finished a save gets to return on its own.</summary>
    private const int AfterSaveMs = 200;

    private readonly CancellationTokenSource _cancel;
    private readonly TextWriter _err;
    private readonly PosixSignalRegistration? _sigint, _sigterm;
    private Timer? _force;
    private int _signalled;
    private readonly ManualResetEventSlim _returned = new();

    public Interruption(CancellationTokenSource cancel, TextWriter err)
    {
        _cancel = cancel;
        _err = err;
        if (OperatingSystem.IsAndroid() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsBrowser())
            return;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime would otherwise end the process at once, before anything is saved.
        context.Cancel = true;
        if (Interlocked.Exchange(ref _signalled, 1) != 0)
            return;
        _cancel.Cancel();
        _force = new Timer(_ => Force(), null, GraceMs, Timeout.Infinite);
    }

    /// <summary>The command did not return in time (or cannot see the token): end the process.</summary>
    private void Force()
    {
        bool saved = PendingSaves.WaitIdle();
        // A command that just finished saving is about to return: let its own summary and exit
        // code stand rather than racing it.
        if (_returned.Wait(saved ? AfterSaveMs : 0))
            return;
        // Abandoning removes the partial record file at once; the command then reports the
        // journal and returns 130 itself.
        var abandoned = PendingSaves.AbandonConversions();
        if (abandoned.Count > 0 && _returned.Wait(AfterSaveMs))
            return;
        PendingSaves.CleanUpConversions();
        try
        {
            if (abandoned.Count == 0)
            {
                _err.WriteLine("damon: interrupted");
                _err.Flush();
            }
            // A command that said its note but has not returned yet (a loaded machine) is not repeated.
            foreach (var conversion in abandoned) conversion.SayOnce(_err);
        }
        catch (IOException)
        {
            // stderr closed: the exit code still says it.
        }
        Environment.Exit(ExitCodes.Interrupted);
    }

    public void Dispose()
    {
        _returned.Set();
        _sigint?.Dispose();
        _sigterm?.Dispose();
        _force?.Dispose();
    }
}
