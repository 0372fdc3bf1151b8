using Xunit;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Random, huge, negative, special and unit-laden values for the numeric options of every verb.
/// Parse-only verbs, simulating verbs and the bench verbs are separate suites, so a run that hangs
/// in one does not hide the others.
/// </summary>
public class OptionFuzzTests
{
    private static string Record => SeedInputs.DamoReport("damon.data.snapshot.active");
    private static readonly string[] Stat = ["--damos_action", "stat"];

    private static NumericOption Opt(string verb, string option, string[] valid, params string[] around) =>
        new(verb.Split(' '), option, valid, around);

    /// <summary>Options read without running the simulator (damo's DAMON options via `args`, the reports).</summary>
    private static NumericOption[] ParseOnly(CaseContext c) =>
    [
        Opt("args", "--monitoring_intervals", ["5ms", "100ms", "1s"]),
        Opt("args", "--monitoring_nr_regions_range", ["10", "1000"]),
        Opt("args", "--monitoring_intervals_goal", ["400", "3", "5000", "1000000"]),
        Opt("args", "--damos_access_rate", ["0%", "50%"], Stat),
        Opt("args", "--damos_sz_region", ["4K", "max"], Stat),
        Opt("args", "--damos_age", ["0", "10s"], Stat),
        Opt("args", "--damos_quotas", ["100", "1G", "1000"], Stat),
        Opt("args", "--damos_wmarks", ["5000000", "800", "500", "200"], [.. Stat, "--damos_wmarks", "free_mem_rate"]) with { Option = "" },
        Opt("args", "--damos_apply_interval", ["1s"], Stat),
        Opt("args", "--target_pid", ["1"]),
        Opt("args", "--regions", ["4096-8192"]),
        Opt("report access", "--snapshot_heatmap_width", ["80"], "--input", Record),
        Opt("report access", "--percentiles_range", ["0", "101", "25"], "--input", Record, "--style", "temperature-percentiles"),
        Opt("report access", "--temperature_weights", ["0", "100", "100"], "--input", Record, "--style", "temperature-sz-hist"),
        Opt("report access", "--sz_region", ["4K", "max"], "--input", Record),
        Opt("report access", "--access_rate", ["0", "100"], "--input", Record),
        Opt("report access", "--age", ["0", "max"], "--input", Record),
        Opt("report access", "--address", ["0", "0x7fffffffffff"], "--input", Record),
        Opt("report access", "--sz_snapshot", ["0", "max"], "--input", Record),
        Opt("report access", "--snapshot_time", ["0", "9223372036854775807"], "--input", Record),
        Opt("report access", "--snapshot_idx", ["0", "10"], "--input", Record),
        Opt("report access", "--temperature", ["0", "100"], "--input", Record),
        Opt("report wss", "--range", ["0", "101", "25"], "--input", Record),
        Opt("report wss", "--exclude_samples", ["0"], "--input", Record),
        Opt("report wss", "--acc_thres", ["1"], "--input", Record, "--exclude_samples", "0"),
        Opt("report wss", "--sz_thres", ["1"], "--input", Record, "--exclude_samples", "0"),
        Opt("report wss", "--work_time", ["1"], "--input", Record, "--exclude_samples", "0"),
        Opt("report wss", "--nr_cols_bar", ["59"], "--input", Record, "--exclude_samples", "0"),
        Opt("report nr_regions", "--range", ["0", "101", "25"], "--input", Record),
        Opt("report heatmap", "--resol", ["10", "20"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--time_range", ["0", "9223372036854775807"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--address_range", ["0", "0x7fffffffffff"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--kdamond_idx", ["0"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--context_idx", ["0"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--scheme_idx", ["0"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--tid", ["0"], "--input", Record, "--output", "raw"),
        Opt("report heatmap", "--temperature_weights", ["100", "100"], "--input", Record, "--output", "raw", "--sort_temperature"),
        Opt("adjust", "--aggregate_interval", ["1000000"], "--input", Record, "--output", c.PathOf("adj.data"), "--skip", "0"),
        Opt("adjust", "--skip", ["0"], "--input", Record, "--output", c.PathOf("adj.data")),
        Opt("adjust", "--output_permission", ["600"], "--input", Record, "--output", c.PathOf("adj.data"), "--skip", "0"),
        Opt("adjust", "--sz_region", ["4K", "max"], "--input", Record, "--output", c.PathOf("adj.data"), "--skip", "0"),
    ];

    /// <summary>Options of the verbs that run the simulator; a value that makes a valid but long run is stopped.</summary>
    private static NumericOption[] Simulating(CaseContext c) =>
    [
        Opt("sim", "--duration", ["0.05"], ShortRun.Workload),
        Opt("sim", "--seed", ["42"], ShortRun.Args),
        Opt("sim", "--snapshot_every", ["0.02"], ShortRun.Args),
        Opt("sim", "--monitoring_intervals", ["5ms", "100ms", "1s"], ShortRun.Args),
        Opt("sim", "--monitoring_nr_regions_range", ["10", "1000"], ShortRun.Args),
        Opt("sim", "--damos_access_rate", ["0%", "50%"], [.. ShortRun.Args, .. Stat]),
        Opt("sim", "--damos_quotas", ["100", "1G", "1000"], [.. ShortRun.Args, .. Stat]),
        Opt("sim", "--module_param", ["1048576"], [.. ShortRun.Args, "--module", "damon_tier"]) with { Wrap = v => "quota_sz=" + v },
        Opt("sim", "--module_param", ["5000"], [.. ShortRun.Args, "--module", "damon_reclaim"]) with { Wrap = v => "sample_interval=" + v },
        Opt("sim", "--workload", ["16M"], ShortRun.Duration) with { Wrap = v => "gups:size=" + v },
        Opt("sim", "--workload", ["10%"], ShortRun.Duration) with { Wrap = v => "gups:size=16M,hot=" + v },
        Opt("sim", "--workload", ["1"], ShortRun.Duration) with { Wrap = v => "gups:size=16M,threads=" + v },
        Opt("sim", "--workload", ["4096"], ShortRun.Duration) with { Wrap = v => "zipf:keys=" + v },
        Opt("sim", "--workload", ["0.99"], ShortRun.Duration) with { Wrap = v => "zipf:keys=4096,theta=" + v },
        Opt("sim", "--workload", ["0.125"], ShortRun.Duration) with { Wrap = v => "gauss:size=16M,sigma=" + v },
        Opt("sim", "--workload", ["1s"], ShortRun.Duration) with { Wrap = v => "churn:size=16M,period=" + v },
        Opt("record", "--flush_interval", ["10"], [.. ShortRun.Args, "--out", c.PathOf("rec.data")]),
        Opt("record", "--output_permission", ["600"], [.. ShortRun.Args, "--out", c.PathOf("rec.data")]),
        Opt("numastat", "-p", ["1"], ShortRun.Args),
        Opt("numastat", "--duration", ["0.05"], ShortRun.Workload),
    ];

    /// <summary>The verbs that run whole scenarios: valid values are stopped after a short while.</summary>
    private static NumericOption[] Bench(CaseContext c) =>
    [
        Opt("bench tiering", "--seed", ["42"], "--scenario", "pressure-0", "--policy", "first-touch", "--quiet"),
        Opt("bench accuracy", "--sizes", ["16M"], "--attrs", "default", "--duration", "0.1s", "--warmup", "0.1s", "--quiet"),
        Opt("bench accuracy", "--duration", ["0.1s"], "--sizes", "16M", "--attrs", "default", "--warmup", "0.1s", "--quiet"),
        Opt("bench accuracy", "--warmup", ["0.1s"], "--sizes", "16M", "--attrs", "default", "--duration", "0.1s", "--quiet"),
        Opt("bench accuracy", "--gt-windows", ["1"], "--sizes", "16M", "--attrs", "default", "--duration", "0.1s", "--warmup", "0.1s", "--quiet"),
        Opt("bench accuracy", "--hot-min-nr-accesses", ["1"], "--sizes", "16M", "--attrs", "default", "--duration", "0.1s", "--warmup", "0.1s", "--quiet"),
        Opt("bench reports", "--duration", ["0.4s"], "--quiet"),
        Opt("bench reports", "--seed", ["13"], "--duration", "0.4s", "--quiet"),
        Opt("demo", "--seed", ["42"], "--scenario", "pressure-0", "--quiet", "--out", c.PathOf("demo")),
    ];

    private static Func<CaseContext, FuzzCase> Cases(Func<CaseContext, NumericOption[]> table, TimeSpan? stopAfter) => c =>
    {
        var option = c.Pick(table(c));
        var (args, values) = option.Build(c.Random);
        string[] outputs = [c.PathOf("adj.data"), c.PathOf("rec.data"), c.PathOf("demo")];
        return new FuzzCase($"{string.Join(' ', option.Verb)} {option.Option} {values}", args) { Outputs = outputs, StopAfter = stopAfter };
    };

    [Fact]
    public Task ParseOnlyVerbs() => FuzzSuite.Run("options-parse", 0x0A1, 250, Cases(ParseOnly, null));

    [Fact]
    public Task SimulatingVerbs() => FuzzSuite.Run("options-sim", 0x0A2, 60, Cases(Simulating, TimeSpan.FromSeconds(3)));

    [Fact]
    public Task BenchVerbs() => FuzzSuite.Run("options-bench", 0x0A3, 20, Cases(Bench, TimeSpan.FromSeconds(2)));
}
