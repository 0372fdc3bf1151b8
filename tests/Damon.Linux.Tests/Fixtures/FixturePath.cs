namespace Damon.Linux.Tests;

/// <summary>Files under tests/Damon.Linux.Tests/Fixtures: copies of this host's /proc files and hand-written trees.</summary>
internal static class FixturePath
{
    public static string Of(params string[] parts) =>
        Path.Combine([RepoPaths.Root(), "tests", "Damon.Linux.Tests", "Fixtures", .. parts]);
}
