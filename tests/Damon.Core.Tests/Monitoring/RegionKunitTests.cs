using Damon.Core.Monitoring;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// mm/damon/tests/core-kunit.h (G2, damon-spec §7.1): the region and target cases — lists, reset,
/// split, merge, min_nr_regions. Inputs and expected values are the kernel's.
/// </summary>
public class RegionKunitTests
{
    [Fact]
    public void damon_test_target()
    {
        var c = new DamonContext();
        var t = new Target();
        Assert.Empty(c.Targets);

        c.AddTarget(t);
        Assert.Single(c.Targets);

        c.DestroyTarget(t);
        Assert.Empty(c.Targets);
    }

    [Fact]
    public void damon_test_regions()
    {
        var r = new Region(1, 2);
        Assert.Equal(1ul, r.Start);
        Assert.Equal(2ul, r.End);
        Assert.Equal(0u, r.NrAccesses);

        var t = new Target();
        Assert.Equal(0, t.NrRegions);

        t.AddRegion(r);
        Assert.Equal(1, t.NrRegions);

        t.DestroyRegion(r);
        Assert.Equal(0, t.NrRegions);
        Assert.Null(t.FirstRegion);
    }

    /// <summary>kdamond_reset_aggregated zeroes every nr_accesses and keeps regions and targets.</summary>
    [Fact]
    public void damon_test_aggregate()
    {
        var ctx = new DamonContext();
        ulong[][] saddr = [[10, 20, 30], [5, 42, 49], [13, 33, 55]];
        ulong[][] eaddr = [[15, 27, 40], [31, 45, 55], [23, 44, 66]];
        uint[][] accesses = [[42, 95, 84], [10, 20, 30], [0, 1, 2]];

        for (int it = 0; it < 3; it++)
        {
            var t = new Target();
            for (int ir = 0; ir < 3; ir++)
            {
                var r = t.NewRegion(saddr[it][ir], eaddr[it][ir]);
                r.NrAccesses = accesses[it][ir];
                t.AddRegion(r);
            }
            ctx.AddTarget(t);
        }

        DamonCore.ResetAggregated(ctx);

        Assert.Equal(3, ctx.Targets.Count);
        for (int it = 0; it < 3; it++)
        {
            var t = ctx.Targets[it];
            Assert.Equal(3, t.NrRegions);
            int ir = 0;
            foreach (var r in t.Regions)
            {
                Assert.Equal(0u, r.NrAccesses);
                // The flushed window becomes the "last" one (§2.4).
                Assert.Equal(accesses[it][ir], r.LastNrAccesses);
                ir++;
            }
            Assert.Equal(3, ir);
        }
    }

    [Fact]
    public void damon_test_split_at()
    {
        var t = new Target();
        var r = t.NewRegion(0, 100);
        r.NrAccesses = 42;
        r.LastNrAccesses = 15;
        r.ProbeHits[0] = 7;
        r.LastProbeHits[0] = 3;
        r.Age = 10;
        t.AddRegion(r);

        DamonCore.SplitRegionAt(t, r, 25);

        Assert.Equal(2, t.NrRegions);
        Assert.Equal(0ul, r.Start);
        Assert.Equal(25ul, r.End);

        var rNew = r.NextRegion!;
        Assert.Equal(25ul, rNew.Start);
        Assert.Equal(100ul, rNew.End);

        Assert.Equal(r.NrAccesses, rNew.NrAccesses);
        Assert.Equal(r.LastNrAccesses, rNew.LastNrAccesses);
        Assert.Equal(r.ProbeHits[0], rNew.ProbeHits[0]);
        Assert.Equal(r.LastProbeHits[0], rNew.LastProbeHits[0]);
        Assert.Equal(r.Age, rNew.Age);
    }

    /// <summary>
    /// Size-weighted averages: nr (10·100 + 20·200)/300 = 16, age (9·100 + 21·200)/300 = 17,
    /// probe_hits[0] (6·100 + 14·200)/300 = 11.
    /// </summary>
    [Fact]
    public void damon_test_merge_two()
    {
        var t = new Target();
        var r = t.NewRegion(0, 100);
        r.NrAccesses = 10;
        r.ProbeHits[0] = 6;
        r.Age = 9;
        t.AddRegion(r);
        var r2 = t.NewRegion(100, 300);
        r2.NrAccesses = 20;
        r2.ProbeHits[0] = 14;
        r2.Age = 21;
        t.AddRegion(r2);

        DamonCore.MergeTwoRegions(t, r, r2);

        Assert.Equal(0ul, r.Start);
        Assert.Equal(300ul, r.End);
        Assert.Equal(16u, r.NrAccesses);
        Assert.Equal(11, r.ProbeHits[0]);
        Assert.Equal(17u, r.Age);

        int i = 0;
        foreach (var r3 in t.Regions)
        {
            Assert.Same(r, r3);
            i++;
        }
        Assert.Equal(1, i);
    }

    /// <summary>
    /// <code>
    ///   [0,100)0 [100,112)0 | [114,122)10 [122,130)10 [130,156)20 [156,170)30 [170,184)1 [184,230)2 [230,10170)5
    ///   \____ merged ____/ ^gap \_____ merged _____/  20-10 > 9   30-20 > 9   \__ merged __/  60+9940 > 9999
    /// </code>
    /// </summary>
    [Fact]
    public void damon_test_merge_regions_of()
    {
        var ctx = new DamonContext();
        ulong[] sa = [0, 100, 114, 122, 130, 156, 170, 184, 230];
        ulong[] ea = [100, 112, 122, 130, 156, 170, 184, 230, 10170];
        uint[] nrs = [0, 0, 10, 10, 20, 30, 1, 2, 5];

        ulong[] saddrs = [0, 114, 130, 156, 170, 230];
        ulong[] eaddrs = [112, 130, 156, 170, 230, 10170];

        var t = new Target();
        for (int i = 0; i < sa.Length; i++)
        {
            var r = t.NewRegion(sa[i], ea[i]);
            r.NrAccesses = nrs[i];
            t.AddRegion(r);
        }

        DamonCore.MergeRegionsOf(t, 9, 9999, ctx, countAge: true);

        Assert.Equal(6, t.NrRegions);
        for (int i = 0; i < 6; i++)
        {
            var r = NthRegionOf(t, i);
            Assert.Equal(saddrs[i], r.Start);
            Assert.Equal(eaddrs[i], r.End);
        }
    }

    [Fact]
    public void damon_test_split_regions_of()
    {
        var c = new DamonContext(seed: 7);

        var t = NewTarget((0, 22));
        DamonCore.SplitRegionsOf(c, t, 2, 1);
        Assert.True(t.NrRegions <= 2);

        t = NewTarget((0, 220));
        DamonCore.SplitRegionsOf(c, t, 4, 1);
        Assert.True(t.NrRegions <= 4);

        ulong[] sa = [0, 300, 500];
        ulong[] ea = [220, 400, 700];
        t = new Target();
        for (int i = 0; i < sa.Length; i++)
            t.AddRegion(t.NewRegion(sa[i], ea[i]));
        DamonCore.SplitRegionsOf(c, t, 4, 5);
        Assert.True(t.NrRegions <= 12);
        // The kernel's check (size % 5 >= 0) always holds; the cuts are ALIGN_DOWN'd to 5 and the
        // inputs are multiples of 5, so every piece is a whole multiple — check that instead.
        foreach (var r in t.Regions)
            Assert.Equal(0ul, r.Size % 5);
        Assert.Equal(220ul + 100 + 200, t.TotalSize());
    }

    /// <summary>
    /// 760 regions with max_nr_regions 1500: above half the budget only every
    /// step = 1500 / (1500 - 760) = 2nd region is split, so the count grows but cannot overshoot.
    /// </summary>
    [Fact]
    public void damon_test_split_above_half_progresses()
    {
        var c = new DamonContext(seed: 11) { MinRegionSz = 1 };
        c.Attrs = c.Attrs with { MinNrRegions = 10, MaxNrRegions = 1500 };
        const int nrInit = 760;
        const ulong regionSz = 100;

        var t = new Target();
        for (int i = 0; i < nrInit; i++)
        {
            ulong start = (ulong)i * regionSz;
            var r = t.NewRegion(start, start + regionSz);
            r.NrAccesses = (i & 1) != 0 ? 0u : 100u;
            r.Age = 5;
            t.AddRegion(r);
        }
        c.AddTarget(t);

        int nrBefore = t.NrRegions;
        Assert.True((ulong)nrBefore > c.Attrs.MaxNrRegions / 2);

        DamonCore.KdamondSplitRegions(c);

        int nrAfter = t.NrRegions;
        Assert.True(nrAfter > nrBefore);
        Assert.True((ulong)nrAfter <= c.Attrs.MaxNrRegions);
        // Every region of size 100 takes a 10%..90% cut, so exactly the 380 even-indexed ones split.
        Assert.Equal(nrInit + nrInit / 2, nrAfter);
    }

    /// <summary>damon_test_apply_min_nr_regions_for: one region [0, total) and the given limits.</summary>
    private static void damon_test_apply_min_nr_regions_for(ulong szRegions, ulong minRegionSz, ulong minNrRegions,
        ulong maxRegionSzExpect, int nrRegionsExpect)
    {
        var ctx = new DamonContext();
        var t = NewTarget((0, szRegions));
        ctx.AddTarget(t);
        ctx.MinRegionSz = minRegionSz;
        // Set directly, as the kernel test does: damon_set_attrs would reject min_nr_regions 2.
        ctx.Attrs = ctx.Attrs with { MinNrRegions = minNrRegions };

        ulong maxRegionSize = DamonCore.ApplyMinNrRegions(ctx);

        Assert.Equal(maxRegionSzExpect, maxRegionSize);
        Assert.Equal(nrRegionsExpect, t.NrRegions);
        Assert.Equal(szRegions, t.TotalSize());
    }

    /// <summary>(total size, min_region_sz, min_nr_regions → returned limit, nr regions).</summary>
    [Fact]
    public void damon_test_apply_min_nr_regions()
    {
        // common, expected setup
        damon_test_apply_min_nr_regions_for(10, 1, 10, 1, 10);
        // no zero size limit: 10 / 15 = 0 is raised to min_region_sz
        damon_test_apply_min_nr_regions_for(10, 1, 15, 1, 10);
        // the limit 10 / 2 = 5 is aligned up to min_region_sz: 6, leaving [0,6) [6,10)
        damon_test_apply_min_nr_regions_for(10, 2, 2, 6, 2);
        // when min_nr_regions and min_region_sz conflict, min_region_sz wins
        damon_test_apply_min_nr_regions_for(10, 2, 10, 2, 5);
    }

    [Fact]
    public void damon_test_is_last_region()
    {
        var t = new Target();
        for (ulong i = 0; i < 4; i++)
        {
            var r = t.NewRegion(i * 2, (i + 1) * 2);
            t.AddRegion(r);
            Assert.True(t.IsLastRegion(r));
        }
        Assert.False(t.IsLastRegion(t.FirstRegion!));
    }
}
