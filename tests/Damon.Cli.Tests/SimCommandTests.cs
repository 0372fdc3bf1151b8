using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Damon.Cli.Tests;

public class SimCommandTests
{
    private const string Workload = "gups:size=256M,hot=10%";

    [Fact]
    public async Task PrintsSnapshotsEveryIntervalAndNodeUsageAtTheEnd()
    {
        var r = await DamonCli.Run("sim", "--workload", Workload, "--duration", "2", "--snapshot_every", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.Contains("Simulating 'gups:size=256M,hot=10%' on two-tier (2 nodes)", r.Out);
        Assert.Contains("DAMON kdamond 0 ctx 0 (vaddr): 1 target(s), sample 5 ms, aggr 100 ms, regions 10..1000", r.Out);
        var snapshotTimes = Regex.Matches(r.Out, @"^t=(\d+\.\d\d) s  kdamond 0 ctx 0 \(vaddr\)  pid 1  nr_regions \d+", RegexOptions.Multiline)
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(2, snapshotTimes.Count);
        Assert.InRange(snapshotTimes[0], 1.0, 1.1);
        Assert.InRange(snapshotTimes[1], 2.0, 2.1);
        Assert.Matches(new Regex(@"^  start\s+end\s+size\s+regions\s+access\s+age\s+heat$", RegexOptions.Multiline), r.Out);
        // Every region row: two hex addresses, a size, a count, a percentage, an age and a bar of 20 cells.
        var rows = Regex.Matches(r.Out, @"^  0x[0-9a-f]+\s+0x[0-9a-f]+\s+\S+ \S+\s+\d+\s+\d+ %\s+\S+( \S+)?\s+\|[#.]{20}\|", RegexOptions.Multiline);
        Assert.True(rows.Count >= 4, r.Out);
        Assert.Contains("Per-node usage after", r.Out);
        Assert.Matches(new Regex(@"^\s+0\s+0\s+32 GiB\s+256", RegexOptions.Multiline), r.Out);
        Assert.Matches(new Regex(@"^\s+1\s+1\s+64 GiB\s+0 B\s+64 GiB", RegexOptions.Multiline), r.Out);
    }

    [Fact]
    public async Task DamonFindsTheWorkloadsHotSet()
    {
        // The flat model: the bounds below assume every access sets the accessed bit; with the TLB
        // model the part of the 25.6 MiB hot set within the TLB's reach hides from DAMON.
        using var dir = new TempDir();
        var machine = FlatMachine.File(dir);
        var r = await DamonCli.Run("sim", "--machine", machine, "--workload", Workload, "--duration", "3", "--snapshot_every", "1", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        var hot = root.GetProperty("hot_ranges").EnumerateArray().Single();
        ulong hotStart = hot.GetProperty("start").GetUInt64(), hotEnd = hot.GetProperty("end").GetUInt64();
        Assert.Equal(256UL << 20, (hotEnd - hotStart) * 10, (a, b) => Math.Abs((double)a - b) < 4096 * 10);

        var last = root.GetProperty("snapshots").EnumerateArray().Last();
        uint max = last.GetProperty("max_nr_accesses").GetUInt32();
        ulong hotFound = 0, falseHot = 0;
        foreach (var region in last.GetProperty("targets")[0].GetProperty("regions").EnumerateArray())
        {
            ulong s = region.GetProperty("start").GetUInt64(), e = region.GetProperty("end").GetUInt64();
            // Hot-set pages see about 60 % of samples; the rest of the field under 10 %.
            if (region.GetProperty("nr_accesses").GetUInt32() * 100 < max * 30) continue;
            ulong inside = Math.Min(e, hotEnd) > Math.Max(s, hotStart) ? Math.Min(e, hotEnd) - Math.Max(s, hotStart) : 0;
            hotFound += inside;
            falseHot += e - s - inside;
        }
        ulong hotSz = hotEnd - hotStart;
        Assert.True(hotFound >= hotSz * 8 / 10, $"DAMON saw {hotFound} of {hotSz} hot bytes as hot");
        Assert.True(falseHot <= hotSz / 10, $"DAMON saw {falseHot} cold bytes as hot");
    }

    [Fact]
    public async Task JsonFileKeepsTheTextOnStdout()
    {
        using var dir = new TempDir();
        var path = dir.File("sim.json");
        var r = await DamonCli.Run("sim", "--workload", "gups:size=64M", "--duration", "0.5", "--snapshot_every", "0.5", "--json", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Per-node usage after", r.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(500_000UL, doc.RootElement.GetProperty("duration_us").GetUInt64());
        var nodes = doc.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.Equal(32UL << 30, nodes[0].GetProperty("total_bytes").GetUInt64());
        Assert.Single(doc.RootElement.GetProperty("snapshots").EnumerateArray());
    }

    [Fact]
    public async Task SchemesFromDamoOptionsRunAndReportTheirStats()
    {
        var r = await DamonCli.Run("sim", "--workload", "gups:size=64M", "--duration", "1", "--snapshot_every", "1",
            "--damos_action", "stat", "--damos_access_rate", "0", "0", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var scheme = doc.RootElement.GetProperty("contexts")[0].GetProperty("schemes").EnumerateArray().Single();
        Assert.Equal("stat", scheme.GetProperty("action").GetString());
        Assert.True(scheme.GetProperty("nr_tried").GetUInt64() > 0);
    }

    [Fact]
    public async Task PaddrMonitorsPhysicalMemory()
    {
        var r = await DamonCli.Run("sim", "--workload", "gups:size=64M", "--duration", "0.5", "--snapshot_every", "0.5", "--ops", "paddr");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("kdamond 0 ctx 0 (paddr)  physical memory", r.Out);
    }
}
