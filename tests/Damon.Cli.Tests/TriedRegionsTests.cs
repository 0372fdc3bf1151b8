using System.Globalization;
using System.Text.Json;
using Damon.Tests;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// <c>sim --report_damon</c> shows as tried regions what DAMOS tried in the apply round after the
/// run (update_schemes_tried_regions), not every region its access pattern matches: a quota that
/// lets 4 MiB through per second shows 4 MiB tried, though 64 MiB are cold.
/// </summary>
public class TriedRegionsTests
{
    // 64 MiB written once and then cold, next to a small GUPS that keeps the run going. The quota
    // window opens at the first apply round (0.1 s) and again every second; the round after the
    // end (2.1 s) starts a new window and pages out its first 4 MiB of cold memory.
    // The flat model (FlatMachine): GUPS's 4 MiB would otherwise hide in the TLB after its first
    // mkold and look as cold as the cold bulk, so pageout would try it too.
    private static string[] Run(TempDir dir) =>
    [
        "sim", "--machine", FlatMachine.File(dir), "--workload", "coldbulk:size=64M + gups:size=4M", "--duration", "2", "--snapshot_every", "2",
        "--damos_action", "pageout", "--damos_access_rate", "0", "0", "--damos_quota_space", "4M", "--damos_quota_interval", "1s",
        "--report_damon",
    ];

    private static ulong Nr(JsonElement e, string key) =>
        ulong.Parse(e.GetProperty(key).GetString()!.Replace(",", ""), CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheQuotaBoundsWhatWasTried()
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run([.. Run(dir), "--format", "json"]);
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var scheme = doc.RootElement.GetProperty("kdamonds")[0].GetProperty("contexts")[0].GetProperty("schemes")[0];
        var tried = Assert.Single(scheme.GetProperty("tried_regions").EnumerateArray());
        Assert.Equal(4UL << 20, Nr(tried, "end") - Nr(tried, "start"));
        Assert.Equal(0UL, Nr(tried, "nr_accesses"));
        Assert.Equal("0 B", tried.GetProperty("sz_filter_passed").GetString());
        Assert.Equal("4.000 MiB", scheme.GetProperty("tried_bytes").GetString());
        // Three quota windows of 4 MiB each: 0.1 s, 1.1 s and the walk's round at 2.1 s.
        Assert.Equal("12.000 MiB", scheme.GetProperty("stats").GetProperty("sz_tried").GetString());
    }

    [Fact]
    public async Task TheReportListsThemWithTheirFilterPassedBytes()
    {
        using var dir = new TempDir();
        var r = await DamonCli.Run(Run(dir));
        Assert.True(r.ExitCode == 0, r.Err);
        string text = r.Out.ReplaceLineEndings("\n");
        int at = text.IndexOf("            tried regions (4.000 MiB)\n", StringComparison.Ordinal);
        Assert.True(at >= 0, text);
        var lines = text[at..].Split('\n');
        Assert.Matches(@"^                \[[0-9,]+, [0-9,]+\) \(4\.000 MiB\): nr_accesses: 0, age: \d+, filter_passed: 0 B$", lines[1]);
        Assert.Equal("        access sample control", lines[2]);
    }
}
