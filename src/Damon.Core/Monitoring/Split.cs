using Damon.Core.Util;

namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>
    /// damon_split_region_at: <paramref name="r"/> keeps its first <paramref name="szR"/> bytes; a new
    /// region with the same counters covers the rest and follows it. Callers ensure 0 &lt; szR &lt; size.
    /// </summary>
    public static Region SplitRegionAt(Target t, Region r, ulong szR)
    {
        var n = t.NewRegion(r.Start + szR, r.End);
        n.Age = r.Age;
        n.OwnAges = (uint[]?)r.OwnAges?.Clone();
        n.LastNrAccesses = r.LastNrAccesses;
        n.NrAccesses = r.NrAccesses;
        n.ProbeHits = r.ProbeHits;
        n.LastProbeHits = r.LastProbeHits;
        if (r.AccessesBy is not null || n.AccessesBy is not null)
            Sampling.RegionAccessBreakdown.OnSplit(r, n);
        r.End = n.Start;
        t.InsertAfter(r, n);
        return n;
    }

    /// <summary>
    /// damon_split_regions_of: cut each region into up to <paramref name="nrSubs"/> pieces at random
    /// 10%..90% points, each further cut applying to the left piece. New pieces are not revisited.
    /// </summary>
    public static void SplitRegionsOf(DamonContext ctx, Target t, int nrSubs, ulong minSz)
    {
        for (var r = t.FirstRegion; r is not null;)
        {
            var next = r.NextRegion;
            ulong szRegion = r.Size;
            for (int i = 0; i < nrSubs - 1 && szRegion > 2 * minSz; i++)
            {
                // Randomness precision is 10%: enough to find a differently-accessed sub-area
                // over a few aggregations, cheap to draw.
                ulong szSub = KernelMath.AlignDown(ctx.Random.Next(1, 10) * szRegion / 10, minSz);
                if (szSub == 0 || szSub >= szRegion)
                    continue;
                SplitRegionAt(t, r, szSub);
                szRegion = szSub;
            }
            r = next;
        }
    }

    /// <summary>
    /// damon_split_some_regions (G2): above half the region budget, split only every
    /// <paramref name="step"/>-th region, rotating which ones, so the count still grows toward
    /// max_nr_regions without overshooting it.
    /// </summary>
    private static void SplitSomeRegions(DamonContext ctx, ulong step)
    {
        ulong offset = ctx.SplitRotation++ % step;
        ulong idx = 0;
        ulong minSz = ctx.MinRegionSz;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null;)
            {
                var next = r.NextRegion;
                if (idx++ % step == offset && r.Size >= 2 * minSz)
                {
                    ulong sz = r.Size;
                    ulong szSub = KernelMath.AlignDown(ctx.Random.Next(1, 10) * sz / 10, minSz);
                    if (szSub != 0 && szSub < sz)
                        SplitRegionAt(t, r, szSub);
                }
                r = next;
            }
        }
    }

    /// <summary>
    /// kdamond_split_regions: split every region in two — or three when the count did not change
    /// since the last split and is below a third of the budget, as the middle of a region may be
    /// differently accessed — up to half of max_nr_regions; above that, split some (G2).
    /// </summary>
    public static void KdamondSplitRegions(DamonContext ctx)
    {
        ulong n = ctx.NrRegions();
        ulong max = ctx.Attrs.MaxNrRegions;
        if (n >= max)
        {
            // At the budget already: splitting would only be undone by the next merge.
        }
        else if (n > max / 2)
        {
            SplitSomeRegions(ctx, max / (max - n));
        }
        else
        {
            int nrSubs = ctx.SplitLastNrRegions == n && n < max / 3 ? 3 : 2;
            foreach (var t in ctx.Targets)
                SplitRegionsOf(ctx, t, nrSubs, ctx.MinRegionSz);
        }
        ctx.SplitLastNrRegions = n;
    }

    /// <summary>
    /// damon_region_sz_limit: total monitored size divided by min_nr_regions, at least min_region_sz.
    /// Merging beyond it would leave fewer than min_nr_regions regions.
    /// </summary>
    public static ulong RegionSzLimit(DamonContext ctx)
    {
        ulong sz = 0;
        foreach (var t in ctx.Targets)
            sz += t.TotalSize();
        if (ctx.Attrs.MinNrRegions != 0)
            sz /= ctx.Attrs.MinNrRegions;
        return Math.Max(sz, ctx.MinRegionSz);
    }

    /// <summary>
    /// damon_apply_min_nr_regions: split every region larger than the size limit (aligned up to
    /// min_region_sz) into limit-sized pieces, so at least min_nr_regions exist. Returns the limit.
    /// </summary>
    public static ulong ApplyMinNrRegions(DamonContext ctx)
    {
        ulong limit = KernelMath.AlignUp(RegionSzLimit(ctx), ctx.MinRegionSz);
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                while (r.Size > limit)
                    r = SplitRegionAt(t, r, limit);
            }
        }
        return limit;
    }
}
