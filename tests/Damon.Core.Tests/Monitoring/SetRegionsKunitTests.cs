using Damon.Core.Monitoring;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// core-kunit.h: damon_set_regions (§2.8; the five G2 cases plus the newest file's three -EINVAL
/// cases) and damon_commit_target_regions.
/// </summary>
public class SetRegionsKunitTests
{
    /// <summary>
    /// damon_test_set_regions_for: build the old regions, set the new ranges, check the error and
    /// the resulting regions. On failure nothing may have changed.
    /// </summary>
    private static void damon_test_set_regions_for((ulong, ulong)[] oldRanges, (ulong Start, ulong End)[] newRanges,
        ulong minRegionSz, (ulong, ulong)[] expectRanges, Errno? expectErr = null)
    {
        var t = NewTarget(oldRanges);
        var ranges = Array.ConvertAll(newRanges, r => new AddrRange(r.Start, r.End));

        if (expectErr is { } errno)
            AssertErrno(errno, () => DamonCore.SetRegions(t, ranges, minRegionSz));
        else
            DamonCore.SetRegions(t, ranges, minRegionSz);

        AssertRegions(t, expectRanges);
    }

    [Fact]
    public void damon_test_set_regions()
    {
        // Initial build up on empty target.
        damon_test_set_regions_for(
            [], [(5, 15), (15, 25)], 1,
            [(5, 15), (15, 25)]);

        // Un-intersecting regions should be removed.
        damon_test_set_regions_for(
            [(4, 16), (24, 32)], [(18, 23)], 1,
            [(18, 23)]);

        // Holes should be filled up with new regions.
        //
        // old:       [4,   16)        [24,     32)
        // new:         [8,                 28)
        // expect:      [8, 16)[16,24),[24, 28)
        damon_test_set_regions_for(
            [(4, 16), (24, 32)], [(8, 28)], 1,
            [(8, 16), (16, 24), (24, 28)]);

        // New regions should be able to be appended.
        //
        // old:       [0, 4)[4,    17)
        // new:       [0,       15)     [25, 40)
        // expect:    [0, 4)[4, 15)     [25, 40)
        damon_test_set_regions_for(
            [(0, 4), (4, 17)], [(0, 15), (25, 40)], 1,
            [(0, 4), (4, 15), (25, 40)]);

        // New regions should be able to be inserted.
        //
        // old:       [0, 4)                      [42,    52)
        // new:       [0,       15)     [25, 40)    [44, 50)
        // expect:    [0,       15)     [25, 40)    [44, 50)
        damon_test_set_regions_for(
            [(0, 4), (42, 52)], [(0, 15), (25, 40), (44, 50)], 1,
            [(0, 15), (25, 40), (44, 50)]);

        // Zero size regions should return -EINVAL.
        damon_test_set_regions_for([], [(42, 42)], 1, [], Errno.EINVAL);

        // Negative size regions should return -EINVAL.
        damon_test_set_regions_for([], [(42, 21)], 1, [], Errno.EINVAL);

        // Regions resulting in the same region after alignment should return -EINVAL:
        // [10,20) and [20,30) both become [0,4096).
        damon_test_set_regions_for([], [(10, 20), (20, 30)], 4096, [], Errno.EINVAL);
    }

    /// <summary>damon_test_commit_target_regions_for, with src_min_region_sz 1.</summary>
    private static void damon_test_commit_target_regions_for((ulong, ulong)[] dstRanges, (ulong, ulong)[] srcRanges,
        (ulong, ulong)[] expectRanges)
    {
        var dst = NewTarget(dstRanges);
        var src = NewTarget(srcRanges);

        DamonCore.CommitTargetRegions(dst, src, 1);

        AssertRegions(dst, expectRanges);
    }

    [Fact]
    public void damon_test_commit_target_regions()
    {
        damon_test_commit_target_regions_for(
            [(3, 8), (8, 10)], [(4, 6)],
            [(4, 6)]);
        // An empty source keeps the destination's regions.
        damon_test_commit_target_regions_for(
            [(3, 8), (8, 10)], [],
            [(3, 8), (8, 10)]);
    }
}
