using System.Diagnostics;

namespace Damon.Guest.Proof;

/// <summary>Runs a program to completion with its output captured; killed (with its children) after the timeout.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, bool TimedOut);

    public static Result Run(string exe, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        bool done = p.WaitForExit(timeout);
        if (!done)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        return new Result(done ? p.ExitCode : -1, stdout.Result, stderr.Result, !done);
    }
}
