using System.Text.Json;
using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Cli.Tests;

public class BenchReportsCommandTests
{
    /// <summary>
    /// The command writes what the libraries measure for the same options, byte for byte: the use cases and the
    /// fault-interference study's rows (docs/results/fault-interference.md) under the same seed.
    /// </summary>
    [Fact]
    public async Task The_json_is_the_library_s_result_with_the_interference_study_s_rows()
    {
        using var dir = new TempDir();
        string file = dir.File("reports.json");
        var r = await DamonCli.Run("bench", "reports", "--duration", "400ms", "--interference_duration", "1500ms", "--seed", "5", "--json", file, "--quiet");
        Assert.Equal((0, ""), (r.ExitCode, r.Err));

        var study = Damon.Tiering.Interference.FaultInterferenceStudy.RunDetailed(new() { Seed = 5, DurationUs = 1_500_000 });
        var rows = study.Rows.Select(x => new InterferenceRowView(x.Policy, x.MisattributedFaults, x.Recall, x.PromotedBytes, x.NormRuntime)).ToList();
        var expected = ReportsBench.Run(new ReportsBenchOptions { DurationUs = 400_000, Seed = 5 }, rows);
        Assert.Equal(ReportsBenchReport.ToJson(expected), File.ReadAllText(file));
        Assert.Equal(ReportsBenchReport.FormatTable(expected), r.Out);

        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;
        var interference = root.GetProperty("interference");
        Assert.Equal(study.Rows.Select(x => x.Policy), interference.EnumerateArray().Select(e => e.GetProperty("policy").GetString()));
        foreach (var key in new[] { "misattributed_faults", "recall", "promoted_bytes", "norm_runtime" })
            Assert.All(interference.EnumerateArray(), e => Assert.Equal(JsonValueKind.Number, e.GetProperty(key).ValueKind));
        foreach (var key in new[] { "remote_ratio_before", "remote_ratio_after", "runtime_before", "runtime_after" })
            Assert.Equal(JsonValueKind.Number, root.GetProperty("placement").GetProperty(key).ValueKind);
        Assert.Equal(4, root.GetProperty("write_rank").GetProperty("expected").GetArrayLength());
        Assert.Equal(4, root.GetProperty("write_rank").GetProperty("ranked").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("thread_attribution").GetProperty("precision").ValueKind);
    }

    [Theory]
    [InlineData("--duration", "100ms", "damon: --duration 100 ms: at least 400 ms, so a quarter of warm-up leaves scored aggregations\n")]
    [InlineData("--interference_duration", "1s", "damon: --interference_duration 1000 ms: warm-up (1000000 us) must be shorter than the duration (1000000 us)\n")]
    public async Task A_duration_too_short_to_score_is_a_usage_error(string option, string value, string err)
    {
        var r = await DamonCli.Run("bench", "reports", option, value);
        Assert.Equal((2, err, ""), (r.ExitCode, r.Err, r.Out));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public async Task A_hot_percent_outside_1_to_100_is_a_usage_error(string value)
    {
        var r = await DamonCli.Run("bench", "reports", "--interference_hot_percent", value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("damon: --interference_hot_percent", r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.Equal("", r.Out);
    }
}
