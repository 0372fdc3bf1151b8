using System.Text.Json;
using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Cli.Tests;

public class BenchReportsCommandTests
{
    /// <summary>
    /// The command writes what the library measures for the same options, byte for byte, and an
    /// empty interference array until the fault-interference study is wired in (no made-up rows).
    /// </summary>
    [Fact]
    public async Task The_json_is_the_library_s_result_with_no_interference_rows()
    {
        using var dir = new TempDir();
        string file = dir.File("reports.json");
        var r = await DamonCli.Run("bench", "reports", "--duration", "400ms", "--seed", "5", "--json", file, "--quiet");
        Assert.Equal((0, ""), (r.ExitCode, r.Err));

        var expected = ReportsBench.Run(new ReportsBenchOptions { DurationUs = 400_000, Seed = 5 }, []);
        Assert.Equal(ReportsBenchReport.ToJson(expected), File.ReadAllText(file));
        Assert.Equal(ReportsBenchReport.FormatTable(expected), r.Out);

        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Array, root.GetProperty("interference").ValueKind);
        Assert.Equal(0, root.GetProperty("interference").GetArrayLength());
        foreach (var key in new[] { "remote_ratio_before", "remote_ratio_after", "runtime_before", "runtime_after" })
            Assert.Equal(JsonValueKind.Number, root.GetProperty("placement").GetProperty(key).ValueKind);
        Assert.Equal(4, root.GetProperty("write_rank").GetProperty("expected").GetArrayLength());
        Assert.Equal(4, root.GetProperty("write_rank").GetProperty("ranked").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("thread_attribution").GetProperty("precision").ValueKind);
    }

    [Fact]
    public async Task A_duration_too_short_to_score_is_a_usage_error()
    {
        var r = await DamonCli.Run("bench", "reports", "--duration", "100ms");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: --duration 100 ms: at least 400 ms, so a quarter of warm-up leaves scored aggregations\n", r.Err);
        Assert.Equal("", r.Out);
    }
}
