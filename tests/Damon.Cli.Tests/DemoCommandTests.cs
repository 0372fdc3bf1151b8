using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Damon.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task Prints_one_row_per_policy_then_the_plot_and_json_paths()
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run("demo", "--scenario", "masim-stairs", "--out", dir.Path, "--quiet");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.StartsWith("machine: two-tier-scaled: node 0 256 MiB 90 ns 72 GB/s, node 1 1024 MiB 220 ns 26 GB/s", r.Out);
        var rows = Regex.Matches(r.Out, @"^masim-stairs\s+(\S+)\s+\d\.\d{3}\s", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(["first-touch", "numab2", "damon-tier"], rows);
        string svg = Path.Combine(dir.Path, "tiering-masim-stairs.svg");
        string json = Path.Combine(dir.Path, "tiering-masim-stairs.json");
        Assert.EndsWith($"plot: {svg}\njson: {json}\n", r.Out.ReplaceLineEndings("\n"));
        Assert.StartsWith("<svg", File.ReadAllText(svg));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(3, doc.RootElement.GetProperty("results").GetArrayLength());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_usage_error_listing_the_known_ones()
    {
        var r = await DamonCli.Run("demo", "--scenario", "nope", "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--scenario: unknown scenario 'nope' (known: pressure-0,", r.Err);
    }
}
