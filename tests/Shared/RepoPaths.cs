namespace Damon.Tests;

/// <summary>
/// The repository root (the folder holding Damon.slnx), found upward from the test binary, and the
/// shared inputs beside it (<c>../shared/data</c>, as CI lays them out). Linked into every test
/// project that reads them.
/// </summary>
internal static class RepoPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Damon.slnx"))) return dir.FullName;
        var env = Environment.GetEnvironmentVariable("DAMON_REPO_ROOT");
        if (env is not null && File.Exists(Path.Combine(env, "Damon.slnx"))) return env;
        throw new InvalidOperationException("cannot find the repository root (Damon.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>A path under <c>../shared/data</c>; the folder must exist.</summary>
    public static string SharedData(params string[] parts)
    {
        string data = Path.GetFullPath(Path.Combine(Root(), "..", "shared", "data"));
        if (!Directory.Exists(data))
            throw new DirectoryNotFoundException($"{data} not found: the shared data must sit beside the repository checkout");
        return Path.Combine([data, .. parts]);
    }
}
