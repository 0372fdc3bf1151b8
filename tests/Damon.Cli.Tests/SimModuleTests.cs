using System.Text.RegularExpressions;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary><c>damon sim --module</c>: a DAMON module's parameters from a file and the command line, re-committed while it runs.</summary>
public class SimModuleTests
{
    private static readonly string[] Run = ["sim", "--workload", "gups:size=256M", "--duration", "2", "--snapshot_every", "10"];

    [Fact]
    public async Task The_module_runs_with_file_and_command_line_parameters_and_takes_a_commit()
    {
        using var dir = new TempDir();
        string start = dir.File("tier.yaml"), later = dir.File("later.json");
        File.WriteAllText(start, "enabled: Y\nwmarks_high: 1000\nwmarks_low: 0\ngoal_tuner: 1\n");
        File.WriteAllText(later, "{ \"quota_sz\": 41943040 }");

        string json = dir.File("run.json");
        var r = await DamonCli.Run([.. Run, "--module", "damon_tier", "--module_params", start, "--module_param", "quota_reset_interval_ms=100",
            "--module_commit", $"1:{later}", "--report_damon", "--json", json]);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.Contains("DAMON damon_tier (paddr): 1 target(s), sample 5 ms, aggr 100 ms, regions 10..1000, 2 scheme(s)", r.Out);
        Assert.Matches(new Regex($@"^t=1\.\d\d s  damon_tier: commit_inputs with {Regex.Escape(later)}$", RegexOptions.Multiline), r.Out);
        Assert.Matches(new Regex(@"^damon_tier stats:\n  nr_promote_tried_regions\s+\d+\n", RegexOptions.Multiline), r.Out.ReplaceLineEndings("\n"));
        // The file's goal tuner and the command line's reset interval held from the start; the
        // commit halved 40 MiB into each scheme's quota on the running kdamond.
        Assert.Contains("goal tuner: temporal", r.Out);
        Assert.Equal(2, Regex.Matches(r.Out, @"0 ns / 20\.000 MiB / [0-9.]+ [KMG]?i?B per 100 ms").Count);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var module = doc.RootElement.GetProperty("module");
        Assert.Equal("damon_tier", module.GetProperty("name").GetString());
        Assert.True(module.GetProperty("stats").TryGetProperty("nr_promote_tried_regions", out _));
        var commit = Assert.Single(module.GetProperty("commits").EnumerateArray());
        Assert.Equal(later, commit.GetProperty("file").GetString());
        Assert.InRange(commit.GetProperty("time_us").GetInt64(), 1_000_000, 1_050_000);
    }

    [Theory]
    [InlineData(new[] { "--module", "damon_nope" }, 2, "--module: unknown module 'damon_nope' (known: damon_reclaim, damon_lru_sort, damon_tier, damon_stat, damon_hugepage)")]
    [InlineData(new[] { "--module", "damon_tier", "--ops", "paddr" }, 2, "--module starts the module's own kdamond exclusively")]
    [InlineData(new[] { "--module_param", "quota_sz=1" }, 2, "--module_params, --module_param and --module_commit need --module")]
    [InlineData(new[] { "--module", "damon_reclaim", "--module_param", "min_age" }, 2, "--module_param min_age: must be NAME=VALUE")]
    [InlineData(new[] { "--module", "damon_reclaim", "--module_param", "min_age=soon" }, 2, "--module_param: min_age: must be an unsigned integer")]
    [InlineData(new[] { "--module", "damon_tier", "--module_commit", "soon:x.yaml" }, 2, "--module_commit soon:x.yaml: not a duration (e.g. 10, 10s, 500ms, 1m)")]
    [InlineData(new[] { "--module", "damon_tier", "--module_commit", "1:" }, 2, "--module_commit 1:: must be SECONDS:FILE")]
    [InlineData(new[] { "--module", "damon_tier", "--module_commit", "2:x.yaml" }, 2, "--module_commit 2:x.yaml: 2 s is not before the end of the run (2 s)")]
    [InlineData(new[] { "--module", "damon_tier", "--module_commit", "1:/nonexistent/x.yaml" }, 3, "/nonexistent/x.yaml: file not found")]
    public async Task Bad_module_options_say_which_and_why(string[] args, int exitCode, string message)
    {
        var r = await DamonCli.Run([.. Run, .. args]);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Contains(message, r.Err);
        Assert.Equal("", r.Out);
    }

    /// <summary>--module_params and --module_commit files share the reader's one-line messages.</summary>
    [Fact]
    public async Task Unopenable_module_parameter_files_are_one_line_naming_the_file()
    {
        using var dir = new TempDir();
        string sub = dir.File("params.yaml");
        Directory.CreateDirectory(sub);
        string[][] cases =
        [
            ["--module_params", "/nonexistent.yaml"],
            ["--module_params", sub],
            ["--module_commit", "1:/nonexistent.yaml"],
            ["--module_commit", "1:" + sub],
        ];
        string[] expected =
        [
            "damon: /nonexistent.yaml: file not found\n",
            $"damon: {sub}: is a directory, not a parameter file\n",
            "damon: /nonexistent.yaml: file not found\n",
            $"damon: {sub}: is a directory, not a parameter file\n",
        ];
        for (int i = 0; i < cases.Length; i++)
        {
            var r = await DamonCli.Run([.. Run, "--module", "damon_tier", .. cases[i]]);
            Assert.Equal((3, expected[i], ""), (r.ExitCode, r.Err, r.Out));
        }
    }

    [Fact]
    public async Task A_parameter_file_the_module_rejects_is_an_input_error_naming_file_and_parameter()
    {
        using var dir = new TempDir();
        string file = dir.File("reclaim.yaml");
        File.WriteAllText(file, "min_nr_regions: 2\n");
        var r = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--module_params", file]);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"{file}: min_nr_regions: must be at least 3", r.Err);
    }

    /// <summary>
    /// A commit file is checked over the parameters the start filled in (the picked System RAM
    /// bounds), before the run prints anything.
    /// </summary>
    [Fact]
    public async Task A_commit_that_would_fail_on_the_started_module_is_refused_before_the_run()
    {
        using var dir = new TempDir();
        string file = dir.File("shrink.yaml");
        File.WriteAllText(file, "monitor_region_end: 8192\n");
        var r = await DamonCli.Run([.. Run, "--module", "damon_tier", "--module_commit", $"1:{file}"]);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"{file}: monitor_region_start: must not exceed monitor_region_end", r.Err);
        Assert.Equal("", r.Out);
    }

    /// <summary>
    /// At its defaults a module's free_mem_rate watermarks keep it waiting on this mostly free
    /// machine (5 s sleeps); the run still ends at --duration, as damon_stop wakes the kdamond.
    /// </summary>
    [Fact]
    public async Task A_module_waiting_on_its_watermarks_does_not_stretch_the_run()
    {
        var r = await DamonCli.Run([.. Run, "--module", "damon_reclaim", "--json"]);
        Assert.Equal(0, r.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal(2_000_000, doc.RootElement.GetProperty("end_us").GetInt64());
    }
}
