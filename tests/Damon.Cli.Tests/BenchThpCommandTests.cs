using Xunit;

namespace Damon.Cli.Tests;

public class BenchThpCommandTests
{
    [Theory]
    [InlineData("--scenario", "mixx", "damon: --scenario: unknown name 'mixx' (known: bloat, tlb, mix, mix-pressure)")]
    [InlineData("--policy", "thp-sometimes", "damon: --policy: unknown name 'thp-sometimes'")]
    public async Task An_unknown_name_is_a_usage_error_naming_the_option(string option, string value, string message)
    {
        var r = await DamonCli.Run("bench", "thp", option, value, "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith(message, r.Err);
        Assert.Equal("", r.Out);
    }
}
