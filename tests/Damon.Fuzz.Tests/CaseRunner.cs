namespace Damon.Fuzz.Tests;

/// <summary>
/// Runs one case through the real command tree in-process and checks the rules every input must
/// keep: a documented exit code, one clean stderr line on failure, no partial or temporary output,
/// and an end within a bound.
/// </summary>
internal static class CaseRunner
{
    /// <summary>
    /// Generous on a loaded 2-core machine: every case runs at most a fraction of a simulated
    /// second, so only a loop that never ends gets near it.
    /// </summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static readonly int[] UserErrorCodes = [2, 3, 4];

    /// <summary>What a .NET type name or a stack frame looks like in a message.</summary>
    private static readonly System.Text.RegularExpressions.Regex TypeNameOrFrame =
        new(@"System\.|Exception|Damon\.[A-Z]|\bat [\w.`<>]+\.[\w<>]+\(");

    public static async Task<CaseOutcome> Run(FuzzCase c, string caseDir)
    {
        var before = Directory.GetFiles(caseDir).ToHashSet();
        if (c.Isolated)
        {
            // A crash prints every frame of the overflowed stack, which alone takes seconds.
            var child = await ChildProcessCli.Run(c.Args, 3 * Bound);
            return child is null
                ? new CaseOutcome(null, "", [$"did not end within {3 * Bound} (killed)"], Hung: false)
                : Check(c, caseDir, before, child, stopped: false);
        }
        // The token lets a CLI that honours cancellation stop by itself; the wait below bounds a
        // CLI that does not (its thread then keeps running, which the suite allows for once).
        using var cts = new CancellationTokenSource(c.StopAfter ?? Bound);
        var run = Task.Run(() => DamonCli.Run(cts.Token, c.Args));
        DamonCli.Result r;
        try
        {
            r = await run.WaitAsync((c.StopAfter ?? TimeSpan.Zero) + Bound);
        }
        catch (TimeoutException)
        {
            return new CaseOutcome(null, "", [$"did not end within {(c.StopAfter ?? TimeSpan.Zero) + Bound} (cancellation had no effect)"], Hung: true);
        }

        return Check(c, caseDir, before, r, cts.IsCancellationRequested);
    }

    private static CaseOutcome Check(FuzzCase c, string caseDir, HashSet<string> before, DamonCli.Result r, bool stopped)
    {
        var broken = new List<string>();
        int rc = r.ExitCode;
        if (rc == 1)
            broken.Add("exit 1 (an internal error: a bug)");
        else if (rc == 130 && !(stopped && c.StopAfter is not null))
            broken.Add(stopped ? "ran until the bound and was interrupted" : "exit 130 without an interrupt");
        else if (rc == 134 || (c.Isolated && rc > 128))
            broken.Add($"crashed (exit {rc}, signal {rc - 128}): {r.Err.Split('\n')[0]}");
        else if (rc != 0 && rc != 130 && !UserErrorCodes.Contains(rc))
            broken.Add($"exit {rc}: not a documented exit code");

        string err = r.Err.TrimEnd('\n');
        if (rc != 0 && rc != 130)
        {
            string[] lines = err.Split('\n');
            if (err.Length == 0) broken.Add("nothing on stderr");
            else if (lines.Length != 1) broken.Add($"{lines.Length} stderr lines, not one");
            if (err.Length > 0 && !lines[0].StartsWith("damon: ", StringComparison.Ordinal))
                broken.Add("stderr does not start with 'damon: '");
        }
        var mark = TypeNameOrFrame.Match(err);
        if (mark.Success)
            broken.Add($"stderr shows a .NET type name or stack frame ('{mark.Value}')");

        // A refused input file must be named, or the user cannot tell which of several is wrong.
        if (rc == 3 && c.Input is not null && !err.Contains(Path.GetFileName(c.Input), StringComparison.Ordinal))
            broken.Add("exit 3 without naming the input file");

        var allowed = rc is 0 or 130 ? c.Outputs.Select(Path.GetFullPath).ToHashSet() : [];
        foreach (var f in Directory.GetFiles(caseDir).Where(f => !before.Contains(f)))
            if (!allowed.Contains(Path.GetFullPath(f)))
                broken.Add(rc is 0 or 130 ? $"left a stray file {Path.GetFileName(f)}" : $"failed but left {Path.GetFileName(f)}");
        foreach (var d in Directory.GetDirectories(caseDir))
            if (rc is not 0 and not 130 && !c.Outputs.Contains(d))
                broken.Add($"failed but left the directory {Path.GetFileName(d)}");
        return new CaseOutcome(rc, err, broken, Hung: false);
    }
}
