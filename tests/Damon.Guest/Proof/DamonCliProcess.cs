using System.Collections.Concurrent;
using System.Diagnostics;

namespace Damon.Guest.Proof;

/// <summary>
/// A `damon` command that runs in the foreground (`damon start --mode user`) started as its own process: its stdout
/// lines are drained as they come (a command blocked on a full pipe would stop its run loop), Ctrl+C is a SIGINT sent
/// to it, and disposing kills what is still running. <see cref="DamonCli"/> runs the commands that end by themselves.
/// </summary>
public sealed class DamonCliProcess : IDisposable
{
    private readonly Process _p;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _all = new();
    private readonly Task<string> _stderr;
    private readonly Task _drain;

    private DamonCliProcess(Process p)
    {
        _p = p;
        _stderr = Task.Run(() =>
        {
            var err = new System.Text.StringBuilder();
            string? line;
            while ((line = p.StandardError.ReadLine()) is not null)
            {
                err.AppendLine(line);
                Console.WriteLine($"  damon! {line}");
            }
            return err.ToString();
        });
        _drain = Task.Run(() =>
        {
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
            {
                _all.Enqueue(line);
                // Echoed as they come: the status lines say how far a run got when a case fails or its guest is killed.
                Console.WriteLine($"  damon| {line}");
                _lines.Add(line);
            }
            _lines.CompleteAdding();
        });
    }

    public int Pid => _p.Id;

    /// <summary>Every stdout line so far, in order.</summary>
    public IReadOnlyList<string> Lines => [.. _all];

    public static DamonCliProcess Start(IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(DamonCli.Path ?? throw new InvalidOperationException("no damon.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        return new DamonCliProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start damon"));
    }

    /// <summary>The first stdout line that starts with <paramref name="prefix"/>; null when the command ended (or
    /// <paramref name="bound"/> passed) without printing one.</summary>
    public string? WaitForLine(string prefix, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (DateTime.UtcNow < until)
        {
            var left = until - DateTime.UtcNow;
            if (!_lines.TryTake(out var line, left > TimeSpan.Zero ? left : TimeSpan.Zero))
                return null;
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return line;
        }
        return null;
    }

    /// <summary>Ctrl+C: SIGINT to the command (busybox kill: the suite has no libc kill of its own).</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the command to end by itself; its exit code and stderr, or null when it was still running
    /// after <paramref name="bound"/> (then it is killed).</summary>
    public (int ExitCode, string Stderr)? WaitForExit(TimeSpan bound)
    {
        if (!_p.WaitForExit(bound))
        {
            _p.Kill(entireProcessTree: true);
            _p.WaitForExit();
            return null;
        }
        _drain.Wait(TimeSpan.FromSeconds(10));
        return (_p.ExitCode, _stderr.Result);
    }

    public void Dispose()
    {
        if (!_p.HasExited)
        {
            _p.Kill(entireProcessTree: true);
            _p.WaitForExit();
        }
        _drain.Wait(TimeSpan.FromSeconds(10));
        _p.Dispose();
        _lines.Dispose();
    }
}
