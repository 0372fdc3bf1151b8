using Xunit;

namespace Damon.Cli.Tests;

public class BenchThpCommandTests
{
    [Theory]
    [InlineData("--scenario", "mixx", "damon: --scenario: unknown name 'mixx' (known: thp-bloat, thp-tlb, thp-mix, thp-mix-pressure, thp-mix-hard, thp-mix-hard-pressure)")]
    [InlineData("--policy", "thp-sometimes", "damon: --policy: unknown name 'thp-sometimes'")]
    public async Task An_unknown_name_is_a_usage_error_naming_the_option(string option, string value, string message)
    {
        var r = await DamonCli.Run("bench", "thp", option, value, "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message, r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task A_scenario_file_is_checked_before_any_run_and_excludes_scenario()
    {
        using var dir = new TempDir();
        string f = dir.File("bad.yaml");
        File.WriteAllText(f, "name: x\nmachine: nope.machine.json\nduration: 1s\nworkloads:\n  - workload: thp-reader\n");
        var bad = await DamonCli.Run("bench", "thp", "--scenario_file", f, "--quiet");
        Assert.Equal(3, bad.ExitCode);
        Assert.StartsWith($"damon: {f}: line 2: machine: cannot read machine file", bad.Err);
        var both = await DamonCli.Run("bench", "thp", "--scenario_file", f, "--scenario", "thp-tlb", "--quiet");
        Assert.Equal(2, both.ExitCode);
        Assert.Equal("damon: give --scenario or --scenario_file, not both\n", both.Err.ReplaceLineEndings("\n"));
    }
}
