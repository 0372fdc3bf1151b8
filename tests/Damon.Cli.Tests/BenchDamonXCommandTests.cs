using Xunit;

namespace Damon.Cli.Tests;

/// <summary>`damon bench damon-x`: its refusals (the runs themselves take minutes; docs/results/damon-x.md).</summary>
public class BenchDamonXCommandTests
{
    [Fact]
    public async Task An_unknown_scenario_is_a_usage_error_naming_the_known_ones()
    {
        var r = await DamonCli.Run(["bench", "damon-x", "--scenario", "nope"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("damon: --scenario: unknown scenario 'nope' (known: pressure-0, ", r.Err);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
    }
}
