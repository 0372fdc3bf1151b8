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
        string fastUsed = Path.Combine(dir.Path, "tiering-masim-stairs-fast-used.svg");
        string promoted = Path.Combine(dir.Path, "tiering-masim-stairs-promoted.svg");
        // masim declares no hot set, so there is no hot-on-fast plot.
        Assert.EndsWith($"plot: {svg}\nplot: {fastUsed}\nplot: {promoted}\njson: {json}\n", r.Out.ReplaceLineEndings("\n"));
        Assert.StartsWith("<svg", File.ReadAllText(svg));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(3, doc.RootElement.GetProperty("results").GetArrayLength());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Runs_a_scenario_file_with_its_own_policies_and_plots_its_hot_set()
    {
        using var dir = new TempDir();
        string file = dir.File("slow-start.yaml");
        File.WriteAllText(file, """
            name: slow-start
            description: GUPS whose pages move to the slow node at 200 ms
            machine:
              nodes:
                - { id: 0, capacity: 16MiB, read_latency_ns: 90, bandwidth_gbps: 72, tier: 0 }
                - { id: 1, capacity: 32MiB, read_latency_ns: 220, bandwidth_gbps: 26, tier: 1 }
            duration: 600ms
            workloads:
              - workload: gups
                params: { size: 8MiB, hot: 1MiB, pattern: prob, duration: 1s }
                migrate: [{ at: 200ms, node: 1 }]
            policies: [first-touch, numab2]
            """);
        var r = await DamonCli.Run("demo", "--scenario-file", file, "--out", dir.Path, "--quiet");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("workload: slow-start: GUPS whose pages move to the slow node at 200 ms; 0.6 s simulated", r.Out);
        var rows = Regex.Matches(r.Out, @"^slow-start\s+(\S+)\s+\d\.\d{3}\s", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(["first-touch", "numab2"], rows);
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(dir.Path, "tiering-slow-start-hot-on-fast.svg")));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "tiering-slow-start.json")));
        var firstTouch = doc.RootElement.GetProperty("results")[0];
        // The scenario's own move is not a policy's demotion.
        Assert.Equal(0UL, firstTouch.GetProperty("bytes_demoted").GetUInt64());
        var slowHot = firstTouch.GetProperty("series").GetProperty("nodes")[1].GetProperty("hot_bytes");
        Assert.Equal(1UL << 20, slowHot[slowHot.GetArrayLength() - 1].GetUInt64());
    }

    [Fact]
    public async Task A_bad_scenario_file_is_an_input_error_of_one_line()
    {
        using var dir = new TempDir();
        string file = dir.File("bad.yaml");
        File.WriteAllText(file, "name: x\nmachine: m.json\nduration: 1 s\n");
        var r = await DamonCli.Run("demo", "--scenario_file", file, "--quiet");
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith($"damon: {file}: line 2: machine: cannot read machine file {Path.Combine(dir.Path, "m.json")}", r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_scenario_and_a_scenario_file_together_are_a_usage_error()
    {
        var r = await DamonCli.Run("demo", "--scenario", "churn", "--scenario_file", "x.yaml", "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: give --scenario or --scenario_file, not both\n", r.Err.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_usage_error_listing_the_known_ones()
    {
        var r = await DamonCli.Run("demo", "--scenario", "nope", "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--scenario: unknown scenario 'nope' (known: pressure-0,", r.Err);
    }
}
