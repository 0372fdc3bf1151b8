using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary><c>sim --report_damon</c> and <c>report damon --input</c>: damo's status tree.</summary>
public class ReportDamonTests
{
    private static readonly string[] SimWithScheme =
        ["sim", "--workload", "gups:size=64M", "--duration", "1", "--snapshot_every", "1", "--damos_action", "stat", "--damos_access_rate", "0", "0"];

    private static async Task<string> Ok(params string[] args)
    {
        var r = await DamonCli.Run(args);
        Assert.True(r.ExitCode == 0, r.Err);
        return r.Out;
    }

    [Fact]
    public async Task SimStatusStatsEqualTheEngineStats()
    {
        // One run: reading the status runs the kdamonds on until the tried-regions walk ends, and
        // the run's JSON (written after it) holds the same moment's stats.
        using var dir = new TempDir();
        using var status = JsonDocument.Parse(await Ok([.. SimWithScheme, "--report_damon", "--format", "json", "--json", dir.File("run.json")]));
        using var engine = JsonDocument.Parse(File.ReadAllText(dir.File("run.json")));
        var engineScheme = engine.RootElement.GetProperty("contexts")[0].GetProperty("schemes").EnumerateArray().Single();
        var kdamond = status.RootElement.GetProperty("kdamonds").EnumerateArray().Single();
        Assert.Equal("on", kdamond.GetProperty("state").GetString());
        var scheme = kdamond.GetProperty("contexts")[0].GetProperty("schemes").EnumerateArray().Single();
        var stats = scheme.GetProperty("stats");
        foreach (var key in new[] { "nr_tried", "nr_applied", "qt_exceeds" })
            Assert.Equal(engineScheme.GetProperty(key).GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), stats.GetProperty(key).GetString());
        Assert.True(engineScheme.GetProperty("nr_tried").GetUInt64() > 0);
        Assert.NotEmpty(scheme.GetProperty("tried_regions").EnumerateArray());
    }

    [Fact]
    public async Task StatusFileRoundTripsThroughReportDamon()
    {
        using var dir = new TempDir();
        string json = await Ok([.. SimWithScheme, "--report_damon", "--format", "json"]);
        File.WriteAllText(dir.File("status.json"), json);
        Assert.Equal(json, await Ok("report", "damon", "--input", dir.File("status.json"), "--format", "json"));

        string yaml = await Ok("report", "damon", "--input", dir.File("status.json"), "--format", "yaml");
        File.WriteAllText(dir.File("status.yaml"), yaml);
        Assert.Equal(json, await Ok("report", "damon", "--input", dir.File("status.yaml"), "--format", "json"));

        string tree = await Ok("report", "damon", "--input", dir.File("status.json"));
        string simText = await Ok([.. SimWithScheme, "--report_damon"]);
        Assert.EndsWith(tree, simText);
        Assert.StartsWith("kdamond 0\n    state: on\n", tree);
        Assert.Contains("statistics\n", tree);
        Assert.Contains("tried regions (", tree);
    }

    [Fact]
    public async Task DamonParamsOmitStatus()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("status.json"), await Ok([.. SimWithScheme, "--report_damon", "--format", "json"]));
        string parameters = await Ok("report", "damon", "--input", dir.File("status.json"), "--damon_params", "--format", "json");
        foreach (var key in new[] { "\"stats\"", "\"tried_regions\"", "\"tried_bytes\"", "\"state\"" })
            Assert.DoesNotContain(key, parameters);
        using (var doc = JsonDocument.Parse(parameters))
            Assert.False(doc.RootElement.GetProperty("kdamonds")[0].TryGetProperty("pid", out _));
        Assert.Contains("\"action\": \"stat\"", parameters);
        string tree = await Ok("report", "damon", "--input", dir.File("status.json"), "--damon_params");
        Assert.DoesNotContain("statistics", tree);
        Assert.DoesNotContain("state:", tree);
        Assert.Contains("scheme 0\n", tree);
    }

    [Fact]
    public async Task StatusFormatWithoutReportDamonIsAUsageError()
    {
        var r = await DamonCli.Run([.. SimWithScheme, "--format", "json"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--report_damon", r.Err);
    }

    [Fact]
    public async Task MissingStatusFileIsAnInputError()
    {
        var r = await DamonCli.Run("report", "damon", "--input", "/nonexistent/status.json");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("/nonexistent/status.json", r.Err);
    }
}
