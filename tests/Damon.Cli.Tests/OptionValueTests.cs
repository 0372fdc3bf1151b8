using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// Every numeric option of every verb refuses a bad value with exit 2 and one line,
/// "damon: OPTION VALUE: what is wrong", before any input is read or any simulation runs.
/// </summary>
public class OptionValueTests
{
    private const string Duration = "not a duration (e.g. 10, 10s, 500ms, 1m)";
    private const string Comma = "a comma may only separate thousands (1,000 or 12,345,678); '.' starts a fraction";

    [Theory]
    [InlineData("sim --duration abc", "--duration abc: " + Duration)]
    [InlineData("sim --duration 1,5", "--duration 1,5: " + Comma)]
    [InlineData("sim --duration 1e400s", "--duration 1e400s: too long (at most 10000000 s)")]
    [InlineData("sim --duration 20000000", "--duration 20000000: too long (at most 10000000 s)")]
    [InlineData("sim --duration NaN", "--duration NaN: " + Duration)]
    [InlineData("sim --duration -5", "--duration -5: must not be negative")]
    [InlineData("sim --duration 0", "--duration 0: must be more than 0")]
    [InlineData("sim --snapshot_every 0", "--snapshot_every 0: must be more than 0")]
    [InlineData("sim --snapshot_every 1,5", "--snapshot_every 1,5: " + Comma)]
    [InlineData("sim --seed x", "--seed x: not a whole number")]
    [InlineData("sim --seed -1", "--seed -1: must not be negative")]
    [InlineData("sim --seed 1.5", "--seed 1.5: not a whole number")]
    [InlineData("sim --seed 99999999999999999999", "--seed 99999999999999999999: out of range (0 to 18446744073709551615)")]
    [InlineData("sim --module damon_reclaim --module_commit abc:f.yaml", "--module_commit abc:f.yaml: " + Duration)]
    [InlineData("record --duration 2x", "--duration 2x: " + Duration)]
    [InlineData("record --timeout x", "--timeout x: " + Duration)]
    [InlineData("record --output_flush_sec 0", "--output_flush_sec 0: must be more than 0")]
    [InlineData("record --flush_interval 0", "--flush_interval 0: must be more than 0")]
    [InlineData("record --output_permission 9", "wrong --output_permission (9): not an octal number")]
    [InlineData("record --output_type xml", "wrong --output_type (xml): one of json_compressed, json, perf_script")]
    [InlineData("record --format xml", "wrong --format (xml): one of json_compressed, json, perf_script")]
    [InlineData("numastat --duration 1,0", "--duration 1,0: " + Comma)]
    [InlineData("numastat --seed abc", "--seed abc: not a whole number")]
    [InlineData("demo --seed abc", "--seed abc: not a whole number")]
    [InlineData("bench tiering --seed -3", "--seed -3: must not be negative")]
    [InlineData("bench accuracy --duration 10q", "--duration 10q: " + Duration)]
    [InlineData("bench accuracy --warmup x", "--warmup x: " + Duration)]
    [InlineData("bench accuracy --tuned_warmup x", "--tuned_warmup x: " + Duration)]
    [InlineData("bench accuracy --reaction_cap x", "--reaction_cap x: " + Duration)]
    [InlineData("bench accuracy --hot_min_nr_accesses -1", "--hot_min_nr_accesses -1: must not be negative")]
    [InlineData("bench accuracy --gt_windows 2.5", "--gt_windows 2.5: not a whole number")]
    [InlineData("bench accuracy --seed x", "--seed x: not a whole number")]
    [InlineData("bench accuracy --sizes 1G,x", "--sizes 1G,x: 'x': not a size (e.g. 4096, 4K, 1.5 GiB, 200MB)")]
    [InlineData("bench accuracy --sizes 0", "--sizes 0: '0': must be more than 0")]
    [InlineData("bench accuracy --ptp_pmd_span 3", "--ptp_pmd_span 3: must be a power of two (1, 2, 4, ..., 64)")]
    [InlineData("bench accuracy --ptp_pmd_span 128", "--ptp_pmd_span 128: out of range (1 to 64)")]
    [InlineData("adjust --aggregate_interval 0", "--aggregate_interval 0: must be more than 0")]
    [InlineData("adjust --aggregate_interval x", "--aggregate_interval x: not a duration (e.g. 100000 (microseconds), 100ms, 1s)")]
    [InlineData("adjust --skip -1", "--skip -1: must not be negative")]
    [InlineData("adjust --snapshot_idx 0 x", "--snapshot_idx x: not a whole number")]
    [InlineData("adjust --sz_region 1,5 max", "--sz_region 1,5: " + Comma)]
    [InlineData("adjust --sz_region x max", "--sz_region x: not a size (e.g. 4096, 4K, 1.5 GiB, max)")]
    [InlineData("report access --access_rate x max", "--access_rate x: not a percentage (e.g. 50, 50%, max)")]
    [InlineData("report access --age 1,5 max", "--age 1,5: " + Comma)]
    [InlineData("report access --age x max", "--age x: not a time (a bare number is seconds; e.g. 5, 1.5, 500 ms, max)")]
    [InlineData("report access --snapshot_time 0 x", "--snapshot_time x: not a time (a bare number is ns; e.g. 5 ms, 1 s)")]
    [InlineData("report access --temperature 0 x", "--temperature x: not a whole number")]
    [InlineData("report access --temperature_weights 1 2 x", "--temperature_weights x: not a whole number")]
    [InlineData("report access --percentiles_range 0 x", "--percentiles_range x: not a whole number")]
    [InlineData("report access --snapshot_heatmap_width 0", "--snapshot_heatmap_width 0: out of range (1 to 10000)")]
    [InlineData("report heatmap --kdamond_idx -1", "--kdamond_idx -1: must not be negative")]
    [InlineData("report heatmap --context_idx x", "--context_idx x: not a whole number")]
    [InlineData("report heatmap --scheme_idx 1,5", "--scheme_idx 1,5: " + Comma)]
    [InlineData("report heatmap --tid x", "--tid x: not a whole number")]
    [InlineData("report heatmap --resol 0 10", "--resol 0: out of range (1 to 100000)")]
    [InlineData("report heatmap --temperature_weights 1 x", "--temperature_weights x: not a number")]
    [InlineData("report heatmap --time_range 0 x", "--time_range x: not a time (a bare number is ns; e.g. 5 ms, 1 s)")]
    [InlineData("report heatmap --address_range 0 x", "--address_range x: not an address (e.g. 4096, 4K, 1G)")]
    [InlineData("report wss --range 0 x 1", "--range x: not a whole number")]
    [InlineData("report wss -r 0 x 1", "-r x: not a whole number")]
    [InlineData("report wss --exclude_samples -1", "--exclude_samples -1: must not be negative")]
    [InlineData("report wss --acc_thres x", "--acc_thres x: not a whole number")]
    [InlineData("report wss -t x", "-t x: not a whole number")]
    [InlineData("report wss --sz_thres -1", "--sz_thres -1: must not be negative")]
    [InlineData("report wss --work_time 1,0", "--work_time 1,0: " + Comma)]
    [InlineData("report wss --nr_cols_bar x", "--nr_cols_bar x: not a whole number")]
    [InlineData("report nr_regions --range 0 100 x", "--range x: not a whole number")]
    [InlineData("report nr_regions -r 1 2", "-r: a value is missing (see 'damon --help')")]
    [InlineData("args --remove f.json x", "--remove x: not a kdamond index (not a whole number)")]
    [InlineData("numastat -p x", "-p x: not a pid")]
    [InlineData("numastat --duration 1000 -p 99", "-p 99: the simulated workload has no such process (its pids: 1)")]
    [InlineData("report access --format set x y", "--format set x: not one of record_head, snapshot_head, region, snapshot_tail, record_tail")]
    [InlineData("report access --format put region y", "--format put: not set or append")]
    [InlineData("report access --sort_regions_by x", "--sort_regions_by x: not one of address, access_rate, age, size, temperature")]
    [InlineData("adjust --output_type xml", "--output_type xml: not one of json_compressed, json, perf_script")]
    [InlineData("report wss --range 0 101 0", "--range 0 101 0: the step must not be 0")]
    [InlineData("report nr_regions -r 0 200 50", "-r 0 200 50: percentiles must be within 0-100")]
    [InlineData("report access --percentiles_range 0 102 1", "--percentiles_range 0 102 1: percentiles must be within 0-100")]
    [InlineData("report heatmap --output x.jpg", "--output x.jpg: not 'stdout', 'raw' or a .png or .svg file")]
    public async Task BadValuesExit2WithOneLine(string commandLine, string message)
    {
        using var dir = new TempDir();
        if (commandLine.StartsWith("args --remove", StringComparison.Ordinal))
            File.WriteAllText(dir.File("f.json"), """{"kdamonds": []}""");
        var args = commandLine.Split(' ').Select(a => a == "f.json" ? dir.File("f.json") : a).ToArray();
        var r = await DamonCli.Run(args);
        Assert.Equal($"damon: {message}\n", r.Err);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public async Task SecondsWithAndWithoutAUnitRunTheSame()
    {
        string[] run = ["sim", "--workload", "gups:size=64M", "--snapshot_every", "1", "--json"];
        var bare = await DamonCli.Run([.. run[..^1], "--duration", "1", "--json"]);
        var unit = await DamonCli.Run([.. run[..^1], "--duration", "1000ms", "--json"]);
        Assert.Equal(0, bare.ExitCode);
        Assert.Equal(bare.Out, unit.Out);
        Assert.Contains("\"duration_us\": 1000000", bare.Out);
    }

    [Fact]
    public async Task SystemCommandLinesOwnMessagesNameNoDotNetType()
    {
        var r = await DamonCli.Run("report", "wss", "--no_such_option");
        Assert.Equal("damon: unrecognized argument: --no_such_option (see 'damon --help')\n", r.Err);
        Assert.Equal(2, r.ExitCode);
    }

    [Theory]
    [InlineData("recrod", "unrecognized argument: recrod (see 'damon --help')")]
    [InlineData("", "a verb is missing (see 'damon --help')")]
    [InlineData("report", "damon report: a subcommand is missing (see 'damon report --help')")]
    [InlineData("report wss --all_wss yes", "unrecognized argument: yes (see 'damon --help')")]
    [InlineData("sim --seed", "--seed: a value is missing (see 'damon --help')")]
    public async Task VerbAndArityMistakesAreOneLine(string commandLine, string message)
    {
        var r = await DamonCli.Run(commandLine.Length == 0 ? [] : commandLine.Split(' '));
        Assert.Equal($"damon: {message}\n", r.Err);
        Assert.Equal(2, r.ExitCode);
    }

    [Theory]
    [InlineData("Cannot parse argument 'abc' for option '--x' as expected type 'System.Double'.", "--x abc: not a number")]
    [InlineData("Cannot parse argument 'abc' for option '--x' as expected type 'System.Int32'.", "--x abc: not a whole number")]
    [InlineData("Option '--input' is required.", "--input: required")]
    public void ParseErrorsAreRewordedWithoutTypes(string message, string expected) =>
        Assert.Equal(expected, ParseErrors.Describe(message));

    [Fact]
    public async Task VersionVerbPrintsWhatDashDashVersionPrints()
    {
        var r = await DamonCli.Run("version");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Damon.Cli.Commands.VersionCommand.Text + "\n", r.Out);
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Out);
    }
}
