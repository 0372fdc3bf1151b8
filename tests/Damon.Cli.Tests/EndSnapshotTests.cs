using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>
/// <c>sim</c> ends with DAMON's last view: the last aggregation's snapshot is printed (and in the
/// JSON) even when the run's length is no multiple of <c>--snapshot_every</c> or the workload ended
/// first, and not twice when the last periodic snapshot already is the last one.
/// </summary>
public class EndSnapshotTests
{
    private static async Task<(List<string> Text, List<ulong> Json)> SnapshotTimes(params string[] run)
    {
        var r = await DamonCli.Run(["sim", .. run]);
        Assert.True(r.ExitCode == 0, r.Err);
        var text = Regex.Matches(r.Out, @"^t=(\d+\.\d\d) s  kdamond 0 ctx 0", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var j = await DamonCli.Run(["sim", .. run, "--json"]);
        using var doc = JsonDocument.Parse(j.Out);
        var json = doc.RootElement.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("time_us").GetUInt64()).ToList();
        return (text, json);
    }

    [Fact]
    public async Task ARunThatIsNoMultipleEndsWithItsLastSnapshot()
    {
        var (text, json) = await SnapshotTimes("--workload", "gups:size=16M", "--duration", "2.5", "--snapshot_every", "1");
        Assert.Equal(["1.00", "2.00", "2.50"], text);
        Assert.Equal([1_000_000UL, 2_000_000UL, 2_500_000UL], json);
    }

    [Fact]
    public async Task ALastPeriodicSnapshotAtTheEndIsNotRepeated()
    {
        var (text, json) = await SnapshotTimes("--workload", "gups:size=16M", "--duration", "2", "--snapshot_every", "1");
        Assert.Equal(["1.00", "2.00"], text);
        Assert.Equal([1_000_000UL, 2_000_000UL], json);
    }

    [Fact]
    public async Task AWorkloadThatEndsEarlyShowsTheLastAggregationBeforeIt()
    {
        // The workload stops at 0.55 s (its duration=500ms after populating); the last aggregation
        // before that is at 0.5 s, and no periodic snapshot was due yet.
        var (text, json) = await SnapshotTimes("--workload", "gups:size=16M,duration=500ms", "--duration", "3", "--snapshot_every", "1");
        Assert.Equal(["0.50"], text);
        Assert.Equal([500_000UL], json);
    }
}
