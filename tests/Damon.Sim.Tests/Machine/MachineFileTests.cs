using Xunit;
using Damon.Sim.Machine;

namespace Damon.Sim.Tests;

public class MachineFileTests
{
    private const string Valid = """
        {
          // a small two-tier box
          "name": "small",
          "nodes": [
            { "id": 0, "capacity": "8GiB", "read_latency_ns": 90, "write_latency_ns": 95, "bandwidth_gbps": 60, "tier": 0 },
            { "id": 1, "capacity": 17179869184, "read_latency_ns": 220, "bandwidth_gbps": 25, "tier": 1 },
          ],
          "sockets": [ { "node": 0, "cpus": 4 } ],
          "distances": [[10, 20], [20, 10]],
          "migration": { "fixed_ns_per_folio": 1000 },
          "linux_default": false
        }
        """;

    [Fact]
    public void ValidFileLoadsWithDefaultsForOmittedFields()
    {
        var spec = MachineFile.Parse(Valid, "small.json");
        Assert.Equal("small", spec.Name);
        Assert.Equal(8UL << 30, spec.Nodes[0].CapacityBytes);
        Assert.Equal(95u, spec.Nodes[0].WriteLatencyNs);
        Assert.Equal(220u, spec.Nodes[1].WriteLatencyNs); // defaults to the read latency
        Assert.Equal([0, 1, 2, 3], spec.Sockets[0].Cpus);
        Assert.Equal(1000u, spec.Migration.FixedNsPerFolio);
        Assert.Equal(new MigrationCostSpec().TlbShootdownNs, spec.Migration.TlbShootdownNs);
        Assert.False(spec.LinuxDefault);
    }

    [Fact]
    public void RuleViolationNamesFileLineFieldAndRule()
    {
        string bad = Valid.Replace("\"read_latency_ns\": 220", "\"read_latency_ns\": 0");
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(bad, "small.json"));
        Assert.Equal("small.json", e.File);
        Assert.Equal(6, e.Line);
        Assert.Equal("nodes[1].read_latency_ns", e.Field);
        Assert.StartsWith("small.json:6: nodes[1].read_latency_ns: must be > 0", e.Message);
    }

    [Fact]
    public void DistanceRuleIsReportedAtTheOffendingEntry()
    {
        string bad = Valid.Replace("[[10, 20], [20, 10]]", "[[10, 20],\n [20, 12\n]]");
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(bad, "m.json"));
        Assert.Equal("distances[1][1]", e.Field);
        Assert.Equal(10, e.Line);
        Assert.Contains("itself must be 10", e.Message);
    }

    [Fact]
    public void UnknownKeyIsAnError()
    {
        string bad = Valid.Replace("\"tier\": 1", "\"teir\": 1");
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(bad, "m.json"));
        Assert.Equal("nodes[1].teir", e.Field);
        Assert.Contains("unknown key", e.Rule);
        Assert.Equal(6, e.Line);
    }

    [Fact]
    public void SyntaxErrorGivesTheLine()
    {
        string bad = "{\n  \"nodes\": [\n    { \"id\": 0, }\n    oops\n  ]\n}";
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(bad, "m.json"));
        Assert.Equal(4, e.Line);
        Assert.Equal("(syntax)", e.Field);
    }

    [Theory]
    [InlineData("\"capacity\": \"8GiB\"", "\"capacity\": \"8 parsecs\"", "nodes[0].capacity", "byte count")]
    [InlineData("\"capacity\": \"8GiB\"", "\"capacity\": 4097", "nodes[0].capacity", "multiple of 2 MiB")]
    [InlineData("{ \"node\": 0, \"cpus\": 4 }", "{ \"node\": 5, \"cpus\": 4 }", "sockets[0].node", "existing node")]
    [InlineData("\"bandwidth_gbps\": 60", "\"bandwidth_gbps\": \"fast\"", "nodes[0].bandwidth_gbps", "must be a number")]
    [InlineData("\"linux_default\": false", "\"linux_default\": 1", "linux_default", "true or false")]
    public void EachRuleIsNamed(string from, string to, string field, string rule)
    {
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(Valid.Replace(from, to), "m.json"));
        Assert.Equal(field, e.Field);
        Assert.Contains(rule, e.Rule);
        Assert.True(e.Line > 0);
    }

    [Fact]
    public void MissingNodesIsReported()
    {
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse("{ \"name\": \"x\" }", "m.json"));
        Assert.Equal("nodes", e.Field);
        Assert.Contains("required", e.Rule);
    }

    [Fact]
    public void MissingFileIsAMachineFileError()
    {
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Load("/nonexistent/machine.json"));
        Assert.Contains("/nonexistent/machine.json", e.Message);
    }

    [Fact]
    public void TopologyFollowsNumactlHardwareLayout()
    {
        var spec = MachineSpec.DefaultTwoTier(32UL << 30, 64UL << 30) with
        {
            Sockets = [new SocketSpec(0, 0, [0, 1, 2, 3])],
        };
        string expected =
            "available: 2 nodes (0-1)\n" +
            "node 0 cpus: 0 1 2 3\n" +
            "node 0 size: 32768 MB\n" +
            "node 0 free: 32768 MB\n" +
            "node 1 cpus:\n" +
            "node 1 size: 65536 MB\n" +
            "node 1 free: 65536 MB\n" +
            "node distances:\n" +
            "node   0   1 \n" +
            "  0:  10  20 \n" +
            "  1:  20  10 \n";
        Assert.Equal(expected, Topology.Format(spec));
    }

    [Fact]
    public void TopologyShowsARunningMachinesFreeMemory()
    {
        var m = TestMachines.WithProcess(TestMachines.TwoTier(64, 256), out int pid, out int tid);
        ulong a = m.Mmap(pid, 16 * TestMachines.MiB);
        TestMachines.Touch(m, tid, a, 16 * TestMachines.MiB);
        string text = Topology.Format(m.Spec, m.NodeFreeBytes);
        Assert.Contains("node 0 free: 48 MB\n", text);
        Assert.Contains("node 1 free: 256 MB\n", text);
    }
}
