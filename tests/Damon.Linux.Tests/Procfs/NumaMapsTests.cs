using Xunit;
using Damon.Linux.Procfs;

namespace Damon.Linux.Tests.Procfs;

public class NumaMapsTests
{
    [Fact]
    public void Host_numa_maps_sum_per_node()
    {
        var vmas = NumaMaps.Read(FixturePath.Of("host", "numa_maps"));
        Assert.Equal(37, vmas.Count);
        Assert.Equal(0x55b3304a3000UL, vmas[5].Start);
        Assert.Equal("default", vmas[5].Policy);
        Assert.Equal(4UL, vmas[5].PagesPerNode[0]);
        Assert.Empty(vmas[29].PagesPerNode); // "7f4ddfb6c000 default": nothing resident
        var perNode = NumaMaps.BytesPerNode(vmas);
        Assert.Equal([0], perNode.Keys);
        Assert.Equal(417UL * 4096, perNode[0]);
    }

    [Fact]
    public void Two_nodes_and_huge_pages_count_in_their_page_size()
    {
        const string text =
            "7f0000000000 bind:1 anon=300 dirty=300 N0=100 N1=200 kernelpagesize_kB=4\n" +
            "7f1000000000 default anon=2 dirty=2 N1=2 kernelpagesize_kB=2048\n";
        var perNode = NumaMaps.BytesPerNode(NumaMaps.Parse(text, "t"));
        Assert.Equal(100UL * 4096, perNode[0]);
        Assert.Equal(200UL * 4096 + 2UL * 2048 * 1024, perNode[1]);
    }

    [Fact]
    public void A_bad_node_count_names_the_field()
    {
        var e = Assert.Throws<LinuxSourceException>(() => NumaMaps.Parse("7f00 default N0=x\n", "nm"));
        Assert.Equal("nm: line 1: N0=x: expected N<node>=<pages>", e.Message);
    }
}
