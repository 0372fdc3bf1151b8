namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>
    /// damon_merge_two_regions: <paramref name="l"/> absorbs its right neighbour <paramref name="r"/>;
    /// counters become size-weighted averages, the "last" counters stay <paramref name="l"/>'s.
    /// </summary>
    public static void MergeTwoRegions(Target t, Region l, Region r)
    {
        ulong sl = l.Size, sr = r.Size, s = sl + sr;
        l.NrAccesses = (uint)((l.NrAccesses * sl + r.NrAccesses * sr) / s);
        RegionOwnAges.Merge(l, r, sl, sr);
        l.Age = (uint)((l.Age * sl + r.Age * sr) / s);
        for (int i = 0; i < Region.MaxProbes; i++)
            l.ProbeHits[i] = (byte)((l.ProbeHits[i] * sl + r.ProbeHits[i] * sr) / s);
        if (l.AccessesBy is not null || r.AccessesBy is not null)
            Sampling.RegionAccessBreakdown.OnMerge(l, r, sl, sr);
        l.End = r.End;
        t.DestroyRegion(r);
    }

    /// <summary>The age rule of §2.4: a window whose score moved more than the threshold, or
    /// switched between zero and non-zero, restarts the age.</summary>
    private static void UpdateAge(Region r, uint score, uint lastScore, uint thres)
    {
        uint diff = score > lastScore ? score - lastScore : lastScore - score;
        if (diff > thres || (score == 0) != (lastScore == 0))
        {
            r.Age = 0;
            // Every owner's age restarts too; cleared in place (all zero reads the same as null).
            if (r.OwnAges is { } own)
                Array.Clear(own);
        }
        else
        {
            r.Age++;
            RegionOwnAges.Increment(r);
        }
    }

    /// <summary>
    /// damon_merge_regions_of: merge each region into its left neighbour when they touch, their
    /// scores differ by at most <paramref name="thres"/> and the result stays within
    /// <paramref name="szLimit"/>. Ages are updated first when <paramref name="countAge"/>.
    /// </summary>
    public static void MergeRegionsOf(Target t, uint thres, ulong szLimit, DamonContext ctx, bool countAge)
    {
        bool weighted = ctx.ProbesWeighted();
        Region? prev = null;
        for (var r = t.FirstRegion; r is not null;)
        {
            var next = r.NextRegion;
            uint score, lastScore;
            if (weighted)
            {
                score = ProbeWsum(ctx, r.ProbeHits);
                lastScore = ProbeWsum(ctx, r.LastProbeHits);
            }
            else
            {
                score = r.NrAccesses;
                lastScore = r.LastNrAccesses;
            }
            if (countAge)
                UpdateAge(r, score, lastScore, thres);

            if (prev is not null && prev.End == r.Start && prev.Size + r.Size <= szLimit
                && ScoreDiff(ctx, weighted, prev, score) <= thres)
                MergeTwoRegions(t, prev, r);
            else
                prev = r;
            r = next;
        }
    }

    private static uint ScoreDiff(DamonContext ctx, bool weighted, Region prev, uint score)
    {
        uint prevScore = weighted ? ProbeWsum(ctx, prev.ProbeHits) : prev.NrAccesses;
        return prevScore > score ? prevScore - score : score - prevScore;
    }

    /// <summary>
    /// kdamond_merge_regions: merge with a threshold that doubles until the region count is at most
    /// max_nr_regions — so a workload with many distinct access rates still fits the budget — or the
    /// threshold exceeds any possible score. Ages are counted in the first pass only (G2).
    /// </summary>
    public static void KdamondMergeRegions(DamonContext ctx, uint threshold, ulong szLimit)
    {
        var attrs = ctx.Attrs;
        ulong maxThres = attrs.AggrIntervalUs / Math.Max(attrs.SampleIntervalUs, 1);
        bool countAge = true;
        ulong nrRegions;
        do
        {
            nrRegions = 0;
            foreach (var t in ctx.Targets)
            {
                MergeRegionsOf(t, threshold, szLimit, ctx, countAge);
                nrRegions += (ulong)t.NrRegions;
            }
            countAge = false;
            threshold = Math.Max(1, threshold * 2);
        } while (nrRegions > attrs.MaxNrRegions && threshold / 2 < maxThres);
    }
}
