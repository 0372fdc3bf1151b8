using System.Diagnostics;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Runs the built CLI (damon.dll, copied beside the tests) as a child process. Only for inputs that
/// may overflow the stack (deep nesting): .NET cannot catch a stack overflow, so in-process it
/// would kill the test host and every result with it, while a child just dies and is reported.
/// </summary>
internal static class ChildProcessCli
{
    public static async Task<DamonCli.Result?> Run(string[] args, TimeSpan bound)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "damon.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // Progress bars and colours only appear on a terminal; make sure none is assumed.
        start.Environment["NO_COLOR"] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return null;
        }
        return new DamonCli.Result(child.ExitCode, await stdout, (await stderr).Replace("\r\n", "\n"));
    }
}
