using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary><c>--json</c> of report wss / nr_regions / heatmap carries the numbers the text report prints.</summary>
public class ReportJsonTests
{
    private static readonly Lazy<string> Data = new(() => RepoPaths.SharedData("damo-report", "damon.data"));

    private static async Task<string> Ok(params string[] args)
    {
        var r = await DamonCli.Run(args);
        Assert.True(r.ExitCode == 0, r.Err);
        return r.Out;
    }

    /// <summary>The "percentile value" rows of a text distribution report.</summary>
    private static List<(int Percentile, long Value)> TextRows(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture))).ToList();

    private static List<(int Percentile, long Value)> JsonRows(JsonElement target, string metric) =>
        target.GetProperty("percentiles").EnumerateArray()
            .Select(p => (p.GetProperty("percentile").GetInt32(), p.GetProperty(metric).GetInt64())).ToList();

    [Fact]
    public async Task WssJsonHasTheTextRows()
    {
        string[] args = ["report", "wss", "-i", Data.Value, "-r", "1", "101", "1", "--raw_number"];
        var text = TextRows(await Ok(args));
        using var doc = JsonDocument.Parse(await Ok([.. args, "--json"]));
        var target = doc.RootElement.GetProperty("targets").EnumerateArray().Single();
        Assert.Equal(100, text.Count);
        Assert.Equal(text, JsonRows(target, "wss"));
        Assert.Contains(text, row => row.Value > 0);
    }

    [Fact]
    public async Task NrRegionsJsonHasTheTextRows()
    {
        string[] args = ["report", "nr_regions", "-i", Data.Value, "-r", "1", "101", "1"];
        string textOut = await Ok(args);
        using var doc = JsonDocument.Parse(await Ok([.. args, "--json"]));
        var target = doc.RootElement.GetProperty("targets").EnumerateArray().Single();
        Assert.Equal(TextRows(textOut), JsonRows(target, "nr_regions"));
        var avr = textOut.Split('\n').Single(l => l.StartsWith("# avr:", StringComparison.Ordinal)).Split('\t')[1];
        // The text prints the average truncated to an integer (damo's %d).
        Assert.Equal(long.Parse(avr, CultureInfo.InvariantCulture), (long)Math.Truncate(target.GetProperty("avr").GetDouble()));
    }

    [Fact]
    public async Task HeatmapJsonHasTheRawPixels()
    {
        string[] args = ["report", "heatmap", "-i", Data.Value, "--resol", "5", "7"];
        var raw = (await Ok([.. args, "--output", "raw"])).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t')).ToList();
        using var doc = JsonDocument.Parse(await Ok([.. args, "--json"]));
        var map = doc.RootElement.GetProperty("maps").EnumerateArray().Single();
        var rows = map.GetProperty("row_time_ns").EnumerateArray().Select(e => e.GetInt64()).ToList();
        var cols = map.GetProperty("column_addr").EnumerateArray().Select(e => e.GetInt64()).ToList();
        var heats = map.GetProperty("heats").EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList();
        Assert.Equal((5, 7), (rows.Count, cols.Count));
        Assert.Equal(35, raw.Count);
        long t0 = map.GetProperty("time").GetProperty("start_ns").GetInt64(), a0 = map.GetProperty("address").GetProperty("start").GetInt64();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 7; j++)
            {
                var line = raw[i * 7 + j];
                Assert.Equal(long.Parse(line[0], CultureInfo.InvariantCulture), rows[i] - t0);
                Assert.Equal(long.Parse(line[1], CultureInfo.InvariantCulture), cols[j] - a0);
                var heat = heats[i][j];
                if (line[2] == "NaN") Assert.Equal(JsonValueKind.Null, heat.ValueKind);
                else Assert.Equal(double.Parse(line[2], CultureInfo.InvariantCulture), heat.GetDouble());
            }
        Assert.True(map.GetProperty("highest").GetDouble() > map.GetProperty("lowest").GetDouble());
    }

    [Fact]
    public async Task HeatmapGuideJsonHasTheGuideRanges()
    {
        var text = (await Ok("report", "heatmap", "-i", Data.Value, "--guide")).Split('\n');
        using var doc = JsonDocument.Parse(await Ok("report", "heatmap", "-i", Data.Value, "--guide", "--json"));
        var guide = doc.RootElement.GetProperty("guides").EnumerateArray().Single();
        var time = text.Single(l => l.StartsWith("time: ", StringComparison.Ordinal));
        Assert.StartsWith($"time: [{guide.GetProperty("start_time_ns").GetInt64()}, {guide.GetProperty("end_time_ns").GetInt64()})", time);
        var regions = text.Where(l => l.StartsWith("region", StringComparison.Ordinal)).ToList();
        var jsonRegions = guide.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(regions.Count, jsonRegions.Count);
        Assert.NotEmpty(regions);
        for (int i = 0; i < regions.Count; i++)
            Assert.Contains($"[{jsonRegions[i].GetProperty("start").GetInt64()}, {jsonRegions[i].GetProperty("end").GetInt64()})", regions[i]);
    }
}
