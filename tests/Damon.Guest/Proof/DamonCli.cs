namespace Damon.Guest.Proof;

/// <summary>
/// The damon command as the guest cases run it: `dotnet damon.dll ...` from the build that is shared with the guest
/// (next to Damon.Guest.dll, else src/Damon.Cli/bin/Release/net10.0 of the checkout, the guest's working directory).
/// A case that needs a verb this build lacks is skipped with that reason, never passed.
/// </summary>
public static class DamonCli
{
    private static readonly Lazy<string?> Dll = new(FindDll);
    private static readonly Lazy<IReadOnlySet<string>> Verbs = new(ReadVerbs);

    public static string? Path => Dll.Value;

    private static string? FindDll()
    {
        foreach (string p in new[]
                 {
                     System.IO.Path.Combine(AppContext.BaseDirectory, "damon.dll"),
                     System.IO.Path.GetFullPath("src/Damon.Cli/bin/Release/net10.0/damon.dll"),
                 })
        {
            if (File.Exists(p) && File.Exists(System.IO.Path.ChangeExtension(p, ".runtimeconfig.json"))) return p;
        }
        return null;
    }

    /// <summary>The verbs `damon --help` lists under "Commands:".</summary>
    private static IReadOnlySet<string> ReadVerbs()
    {
        if (Path is null) return new HashSet<string>();
        var r = Run(["--help"], TimeSpan.FromSeconds(120));
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        bool inCommands = false;
        foreach (string line in r.Stdout.Split('\n'))
        {
            if (line.StartsWith("Commands:", StringComparison.Ordinal)) { inCommands = true; continue; }
            if (inCommands && line.StartsWith("  ", StringComparison.Ordinal))
                verbs.Add(line.Trim().Split(' ', 2)[0]);
        }
        return verbs;
    }

    /// <summary>Null when every verb is there; otherwise the reason to skip.</summary>
    public static string? Missing(params string[] verbs)
    {
        if (Path is null) return "no damon.dll (with its runtimeconfig) beside Damon.Guest.dll or in src/Damon.Cli/bin/Release/net10.0";
        var lacking = verbs.Where(v => !Verbs.Value.Contains(v)).ToList();
        return lacking.Count == 0 ? null
            : $"this damon build has no '{string.Join("', '", lacking)}' verb yet (the real-Linux CLI has not landed; verbs: {string.Join(" ", Verbs.Value.Order())})";
    }

    /// <summary>Runs `dotnet damon.dll ARGS` to completion.</summary>
    public static ChildProcess.Result Run(IReadOnlyList<string> args, TimeSpan timeout) =>
        ChildProcess.Run(Environment.ProcessPath ?? "dotnet", [Path ?? throw new InvalidOperationException("no damon.dll"), .. args], timeout);
}
