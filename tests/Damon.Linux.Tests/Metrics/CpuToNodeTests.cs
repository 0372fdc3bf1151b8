using Damon.Linux.Metrics;
using Xunit;

namespace Damon.Linux.Tests.Metrics;

/// <summary>The cpu_to_node() map that records carry, read from each online node's cpulist.</summary>
public class CpuToNodeTests
{
    [Fact]
    public void Every_cpu_maps_to_the_node_whose_cpulist_names_it_and_a_cpuless_node_adds_none()
    {
        // twonode: node0's cpulist is "0-1"; node1 (the CXL-like node) has an empty cpulist.
        var map = NodeTopology.CpuToNode(FixturePath.Of("twonode", "sys"));
        Assert.Equal([new(0, 0), new(1, 0)], map!.ToList());
    }

    [Fact]
    public void A_sysfs_without_nodes_gives_no_map()
    {
        Assert.Null(NodeTopology.CpuToNode(FixturePath.Of("twonode", "proc")));
    }
}
