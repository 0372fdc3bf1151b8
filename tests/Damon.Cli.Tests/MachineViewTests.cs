using System.Text.Json;
using Xunit;

namespace Damon.Cli.Tests;

public class MachineViewTests
{
    [Fact]
    public async Task TopologyOfTheDefaultMachineFollowsNumactl()
    {
        var r = await DamonCli.Run("topology");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "available: 2 nodes (0-1)\n" +
            "node 0 cpus: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n" +
            "node 0 size: 32768 MB\n" +
            "node 0 free: 32768 MB\n" +
            "node 1 cpus:\n" +
            "node 1 size: 65536 MB\n" +
            "node 1 free: 65536 MB\n" +
            "node distances:\n" +
            "node   0   1 \n" +
            "  0:  10  20 \n" +
            "  1:  20  10 \n", r.Out);
    }

    [Fact]
    public async Task TopologyOfAMachineFileAndAsJson()
    {
        using var dir = new TempDir();
        var path = dir.File("m.json");
        File.WriteAllText(path, ThreeNodeMachine);
        var r = await DamonCli.Run("topology", "--machine", path, "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var nodes = doc.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(3, nodes.Count);
        Assert.Equal(new[] { 0, 1 }, nodes[0].GetProperty("cpus").EnumerateArray().Select(c => c.GetInt32()));
        Assert.Equal(256UL << 20, nodes[2].GetProperty("size_bytes").GetUInt64());
        Assert.Equal(17, doc.RootElement.GetProperty("distances")[1][2].GetInt32());
    }

    [Fact]
    public async Task NumastatSpillsToTheSlowTierWhenTheFastOneIsFull()
    {
        using var dir = new TempDir();
        var path = dir.File("m.json");
        File.WriteAllText(path, SmallTwoTier);
        var r = await DamonCli.Run("numastat", "--machine", path, "--workload", "gups:size=96M", "--duration", "0.3", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray()
            .ToDictionary(x => x.GetProperty("name").GetString()!, x => x.GetProperty("bytes_per_node").EnumerateArray().Select(v => v.GetUInt64()).ToArray());
        Assert.Equal(new[] { 64UL << 20, 1UL << 30 }, rows["MemTotal"]);
        for (int n = 0; n < 2; n++)
            Assert.Equal(rows["MemTotal"][n], rows["MemUsed"][n] + rows["MemFree"][n]);
        // 96 MiB does not fit the 64 MiB fast node: the rest lands on node 1.
        Assert.True(rows["MemUsed"][1] > 0);
        Assert.True(rows["MemUsed"][0] + rows["MemUsed"][1] >= 96UL << 20);

        var p = await DamonCli.Run("numastat", "--machine", path, "--workload", "gups:size=96M", "--duration", "0.3", "-p", "--json");
        using var pdoc = JsonDocument.Parse(p.Out);
        var proc = pdoc.RootElement.GetProperty("rows").EnumerateArray().Single();
        Assert.Equal("1 (gups)", proc.GetProperty("name").GetString());
        var perNode = proc.GetProperty("bytes_per_node").EnumerateArray().Select(v => v.GetUInt64()).ToArray();
        Assert.True(perNode[0] <= rows["MemUsed"][0] && perNode[1] <= rows["MemUsed"][1]);
        Assert.Equal(96UL << 20, proc.GetProperty("total_bytes").GetUInt64());
    }

    [Fact]
    public async Task NumastatTextInMegabytesAndPages()
    {
        var mb = await DamonCli.Run("numastat", "--workload", "gups:size=64M", "--duration", "0.2");
        Assert.Equal(0, mb.ExitCode);
        var lines = mb.Out.Split('\n');
        Assert.Equal("Per-node system memory usage (in MBs):", lines[0]);
        Assert.Matches(@"^\s+Node 0\s+Node 1\s+Total$", lines[1]);
        Assert.Matches(@"^MemTotal\s+32768\.00\s+65536\.00\s+98304\.00$", lines[3]);
        Assert.Matches(@"^MemUsed\s+64\.00\s+0\.00\s+64\.00$", lines[5]);
        // Columns line up: every number ends at the same column as its header.
        Assert.Equal(lines[1].Length, lines[3].Length);

        var pages = await DamonCli.Run("numastat", "--workload", "gups:size=64M", "--duration", "0.2", "--pages", "-m");
        Assert.Contains("(in pages)", pages.Out);
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"^MemUsed\s+16384\s+0\s+16384$", System.Text.RegularExpressions.RegexOptions.Multiline), pages.Out);
        Assert.Contains("\nInactive", pages.Out);
    }

    private const string ThreeNodeMachine = """
        {
          "name": "three",
          "nodes": [
            { "id": 0, "capacity": "128MiB", "read_latency_ns": 90, "write_latency_ns": 90, "bandwidth_gbps": 50, "tier": 0 },
            { "id": 1, "capacity": "128MiB", "read_latency_ns": 90, "write_latency_ns": 90, "bandwidth_gbps": 50, "tier": 0 },
            { "id": 2, "capacity": "256MiB", "read_latency_ns": 220, "write_latency_ns": 220, "bandwidth_gbps": 20, "tier": 1 }
          ],
          "sockets": [ { "node": 0, "cpus": [0, 1] }, { "node": 1, "cpus": [2, 3] } ],
          "distances": [[10, 21, 17], [21, 10, 17], [17, 17, 10]]
        }
        """;

    private const string SmallTwoTier = """
        {
          "name": "small",
          "nodes": [
            { "id": 0, "capacity": "64MiB", "read_latency_ns": 90, "write_latency_ns": 90, "bandwidth_gbps": 72, "tier": 0 },
            { "id": 1, "capacity": "1GiB", "read_latency_ns": 220, "write_latency_ns": 220, "bandwidth_gbps": 26, "tier": 1 }
          ],
          "sockets": [ { "node": 0, "cpus": 4 } ]
        }
        """;
}
