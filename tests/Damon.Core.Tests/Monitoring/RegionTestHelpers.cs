using Damon.Core.Monitoring;
using Xunit;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// The KUnit files' small helpers (damon_test_help_setup_target, __nth_region_of) and the
/// assertion forms they use, so each ported case reads like its kernel counterpart.
/// </summary>
internal static class RegionTestHelpers
{
    /// <summary>damon_test_help_setup_target: a target holding one region per range, in order.</summary>
    public static Target NewTarget(params (ulong Start, ulong End)[] ranges)
    {
        var t = new Target();
        foreach (var (start, end) in ranges)
            t.AddRegion(t.NewRegion(start, end));
        return t;
    }

    /// <summary>__nth_region_of.</summary>
    public static Region NthRegionOf(Target t, int idx)
    {
        int i = 0;
        foreach (var r in t.Regions)
        {
            if (i++ == idx)
                return r;
        }
        throw new ArgumentOutOfRangeException(nameof(idx), idx, $"target has only {t.NrRegions} regions");
    }

    public static (ulong Start, ulong End)[] RangesOf(Target t)
    {
        var ranges = new List<(ulong, ulong)>(t.NrRegions);
        foreach (var r in t.Regions)
            ranges.Add((r.Start, r.End));
        return [.. ranges];
    }

    /// <summary>The count the intrusive list keeps must match a walk of the list.</summary>
    public static void AssertRegions(Target t, params (ulong Start, ulong End)[] expected)
    {
        Assert.Equal(expected.Length, t.NrRegions);
        Assert.Equal(expected, RangesOf(t));
    }

    /// <summary>KUNIT_EXPECT_EQ(test, call(), -errno).</summary>
    public static DamonException AssertErrno(Errno expected, Action call)
    {
        var e = Assert.Throws<DamonException>(call);
        Assert.Equal(expected, e.Errno);
        return e;
    }
}
