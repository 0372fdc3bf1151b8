using System.Text.RegularExpressions;
using Xunit;

namespace Damon.Cli.Tests;

public class BenchTieringCommandTests
{
    private static string[] Bench(params string[] more) =>
        ["bench", "tiering", "--scenario", "masim-stairs", "--policy", "damon-tier", "--quiet", .. more];

    private static double Promoted(string table) =>
        double.Parse(Regex.Match(table, @"^masim-stairs\s+damon-tier\s+\S+\s+\S+\s+([0-9.]+) MiB", RegexOptions.Multiline).Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A file that leaves the module's watermarks at their defaults (off above 20 % free memory)
    /// keeps damon-tier from promoting on this mostly free machine; the recommended setting does.
    /// </summary>
    [Fact]
    public async Task Tier_parameters_from_a_file_replace_the_recommended_setting()
    {
        using var dir = new TempDir();
        string file = dir.File("tier.yaml");
        File.WriteAllText(file, "enabled: Y\ngoal_tuner: 1\n");

        var given = await DamonCli.Run(Bench("--tier_params", file));
        var recommended = await DamonCli.Run(Bench());

        Assert.Equal((0, 0), (given.ExitCode, recommended.ExitCode));
        Assert.Equal(0.0, Promoted(given.Out));
        Assert.True(Promoted(recommended.Out) > 0, recommended.Out);
    }

    [Fact]
    public async Task A_bad_tier_parameter_file_names_the_file_and_parameter()
    {
        using var dir = new TempDir();
        string file = dir.File("tier.yaml");
        File.WriteAllText(file, "goal_tuner: 7\n");
        var r = await DamonCli.Run(Bench("--tier_params", file));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains(file, r.Err);
        Assert.Contains("goal_tuner", r.Err);
    }

    /// <summary>NUMA-TPP's accessors are sockets: on the one-socket suite machine it is refused before anything runs.</summary>
    [Fact]
    public async Task An_accessor_policy_on_a_one_socket_scenario_is_a_rejected_configuration()
    {
        var r = await DamonCli.Run("bench", "tiering", "--scenario", "masim-stairs", "--policy", "numa-tpp", "--quiet");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("damon: scenario 'masim-stairs': policy 'numa-tpp' needs a machine with two or more sockets (an accessor per socket); 'two-tier-scaled' has 1\n", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task A_missing_tier_parameter_file_is_file_not_found()
    {
        var r = await DamonCli.Run(Bench("--tier_params", "/nonexistent.yaml"));
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("damon: /nonexistent.yaml: file not found\n", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task A_directory_given_as_the_tier_parameter_file_is_an_input_error()
    {
        using var dir = new TempDir();
        string sub = dir.File("tier.yaml");
        Directory.CreateDirectory(sub);
        var r = await DamonCli.Run(Bench("--tier_params", sub));
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"damon: {sub}: is a directory, not a parameter file\n", r.Err);
    }

    [Fact]
    public async Task Output_places_are_checked_before_the_runs()
    {
        using var dir = new TempDir();
        string blocker = dir.File("plain-file");
        File.WriteAllText(blocker, "");

        var json = await DamonCli.Run(Bench("--json", Path.Combine(dir.Path, "missing", "out.json")));
        Assert.Equal(3, json.ExitCode);
        Assert.Contains("does not exist", json.Err);
        Assert.Equal("", json.Out);

        var svg = await DamonCli.Run(Bench("--svg", Path.Combine(blocker, "plots")));
        Assert.Equal(3, svg.ExitCode);
        Assert.StartsWith($"damon: {Path.Combine(blocker, "plots")}: cannot create the directory (", svg.Err);
        Assert.Equal("", svg.Out);
    }
}
