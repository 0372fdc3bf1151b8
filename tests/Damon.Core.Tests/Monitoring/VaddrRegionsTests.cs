using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Xunit;

namespace Damon.Core.Tests.Monitoring;

/// <summary>The three-regions rule's edge cases (§2.12) that the vaddr KUnit file does not cover.</summary>
public class VaddrRegionsTests
{
    /// <summary>
    /// All gaps equal: strict comparisons keep the earliest two.
    /// <code>
    ///   [0,10) gap [20,30) gap [40,50) gap [60,70)
    ///   ->  [0,10)   [20,30)   [40,          70)
    /// </code>
    /// </summary>
    [Fact]
    public void three_regions_prefer_the_earliest_of_equal_gaps()
    {
        AddrRange[] vmas = [new(0, 10), new(20, 30), new(40, 50), new(60, 70)];
        var regions = new AddrRange[3];

        Assert.True(VaddrRegions.ThreeRegionsInVmas(vmas, 1, regions));

        Assert.Equal([new AddrRange(0, 10), new AddrRange(20, 30), new AddrRange(40, 70)], regions);
    }

    /// <summary>Boundaries are rounded up to the minimum region size.</summary>
    [Fact]
    public void three_regions_align_boundaries_up()
    {
        AddrRange[] vmas = [new(4000, 9000), new(100_000, 110_000), new(500_000, 510_000)];
        var regions = new AddrRange[3];

        Assert.True(VaddrRegions.ThreeRegionsInVmas(vmas, 4096, regions));

        Assert.Equal([new AddrRange(4096, 12_288), new AddrRange(102_400, 110_592), new AddrRange(503_808, 512_000)], regions);
    }

    /// <summary>Fewer than two gaps: no three regions, the target gets none.</summary>
    [Fact]
    public void three_regions_need_two_gaps()
    {
        var regions = new AddrRange[3];
        Assert.False(VaddrRegions.ThreeRegionsInVmas([new AddrRange(0, 10), new AddrRange(10, 20)], 1, regions));
        Assert.False(VaddrRegions.ThreeRegionsInVmas([new AddrRange(0, 10), new AddrRange(20, 30)], 1, regions));
    }
}
