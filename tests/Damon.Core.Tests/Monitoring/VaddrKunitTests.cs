using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// mm/damon/tests/vaddr-kunit.h (suite "damon-operations", damon-spec §7.4): the three-regions
/// construction, applying new three regions with damon_set_regions, and the even split. The
/// kernel tests build with DAMON_MIN_REGION 1.
/// </summary>
public class VaddrKunitTests
{
    private const ulong MinRegion = 1;

    /// <summary>
    /// Mappings 10-20-25, 200-210-220, 300-305, 307-330. Unmapped areas 25-200, 220-300 and
    /// 305-307; the two biggest are cut out, leaving 10-25, 200-220 and 300-330.
    /// </summary>
    [Fact]
    public void damon_test_three_regions_in_vmas()
    {
        AddrRange[] vmas =
        [
            new(10, 20), new(20, 25), new(200, 210), new(210, 220), new(300, 305), new(307, 330),
        ];
        var regions = new AddrRange[3];

        Assert.True(VaddrRegions.ThreeRegionsInVmas(vmas, MinRegion, regions));

        Assert.Equal(10ul, regions[0].Start);
        Assert.Equal(25ul, regions[0].End);
        Assert.Equal(200ul, regions[1].Start);
        Assert.Equal(220ul, regions[1].End);
        Assert.Equal(300ul, regions[2].Start);
        Assert.Equal(330ul, regions[2].End);
    }

    /// <summary>
    /// damon_do_test_apply_three_regions: regions and expected are flat start/end pairs, as in the
    /// kernel; the new three regions are applied with damon_set_regions.
    /// </summary>
    private static void damon_do_test_apply_three_regions(ulong[] regions, AddrRange[] threeRegions, ulong[] expected)
    {
        var t = new Target();
        for (int i = 0; i < regions.Length / 2; i++)
            t.AddRegion(t.NewRegion(regions[i * 2], regions[i * 2 + 1]));

        DamonCore.SetRegions(t, threeRegions, MinRegion);

        Assert.Equal(expected.Length / 2, t.NrRegions);
        for (int i = 0; i < expected.Length / 2; i++)
        {
            var r = NthRegionOf(t, i);
            Assert.Equal(expected[i * 2], r.Start);
            Assert.Equal(expected[i * 2 + 1], r.End);
        }
    }

    // 10-20-30, 50-55-57-59, 70-80-90-100
    private static readonly ulong[] OldRegions = [10, 20, 20, 30, 50, 55, 55, 57, 57, 59, 70, 80, 80, 90, 90, 100];

    /// <summary>
    /// The common case: the three big regions change slightly. Boundaries adjust (10-20-30,
    /// 50-55, 70-80-90-100) and regions now outside (57-59) go.
    /// <code>
    ///   old:  [10 20 30)   [50 55 57 59)   [70 80 90 100)
    ///   new: [5      27) [45  55)            [73        104)
    ///   ->   [5  20  27) [45  55)            [73 80 90  104)
    /// </code>
    /// </summary>
    [Fact]
    public void damon_test_apply_three_regions1()
    {
        damon_do_test_apply_three_regions(OldRegions,
            [new(5, 27), new(45, 55), new(73, 104)],
            [5, 20, 20, 27, 45, 55, 73, 80, 80, 90, 90, 104]);
    }

    /// <summary>A bigger change: the second big region shrinks to 56-57, dropping 50-55 and 57-59.</summary>
    [Fact]
    public void damon_test_apply_three_regions2()
    {
        damon_do_test_apply_three_regions(OldRegions,
            [new(5, 27), new(56, 57), new(65, 104)],
            [5, 20, 20, 27, 56, 57, 65, 80, 80, 90, 90, 104]);
    }

    /// <summary>
    /// A big change: the second big region moved wholly (50-59 → 61-63). Its old regions go and a
    /// new region covers 61-63.
    /// </summary>
    [Fact]
    public void damon_test_apply_three_regions3()
    {
        damon_do_test_apply_three_regions(OldRegions,
            [new(5, 27), new(61, 63), new(65, 104)],
            [5, 20, 20, 27, 61, 63, 65, 80, 80, 90, 90, 104]);
    }

    /// <summary>
    /// Another big change: the second and third big regions moved wholly (50-59 and 70-100 →
    /// 30-32 and 65-68); only new regions remain.
    /// </summary>
    [Fact]
    public void damon_test_apply_three_regions4()
    {
        damon_do_test_apply_three_regions(OldRegions,
            [new(5, 7), new(30, 32), new(65, 68)],
            [5, 7, 30, 32, 65, 68]);
    }

    private static void damon_test_split_evenly_fail(ulong start, ulong end, uint nrPieces)
    {
        var t = NewTarget((start, end));
        var r = t.FirstRegion;

        AssertErrno(Errno.EINVAL, () => VaddrRegions.EvenlySplitRegion(t, r, nrPieces, MinRegion));

        AssertRegions(t, (start, end));
    }

    /// <summary>Piece i is [start + i·w, start + (i+1)·w) with w = (end − start)/n; the last ends at end.</summary>
    private static void damon_test_split_evenly_succ(ulong start, ulong end, uint nrPieces)
    {
        var t = NewTarget((start, end));
        ulong expectedWidth = (end - start) / nrPieces;

        VaddrRegions.EvenlySplitRegion(t, t.FirstRegion, nrPieces, MinRegion);

        Assert.Equal((int)nrPieces, t.NrRegions);
        ulong i = 0;
        foreach (var r in t.Regions)
        {
            if (i == nrPieces - 1)
            {
                Assert.Equal(start + i * expectedWidth, r.Start);
                Assert.Equal(end, r.End);
                break;
            }
            Assert.Equal(start + i++ * expectedWidth, r.Start);
            Assert.Equal(start + i * expectedWidth, r.End);
        }
    }

    [Fact]
    public void damon_test_split_evenly()
    {
        AssertErrno(Errno.EINVAL, () => VaddrRegions.EvenlySplitRegion(null!, null, 5, MinRegion));

        damon_test_split_evenly_fail(0, 100, 0);
        damon_test_split_evenly_succ(0, 100, 10);
        damon_test_split_evenly_succ(5, 59, 5);   // [5,15) [15,25) [25,35) [35,45) [45,59)
        damon_test_split_evenly_succ(4, 6, 1);
        damon_test_split_evenly_succ(0, 3, 2);    // [0,1) [1,3)
        damon_test_split_evenly_fail(5, 6, 2);    // a piece would be empty
    }
}
