using System.Runtime.CompilerServices;
using Damon.Core.Util;

namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>
    /// damon_nr_samples_per_aggr (G1 damon_max_nr_accesses): samples in one aggregation window,
    /// capped at UINT_MAX. A zero sample interval counts as 1 and the result is at least 1, as the
    /// newest KUnit file expects.
    /// </summary>
    public static uint NrSamplesPerAggr(MonitoringAttrs attrs)
    {
        ulong sample = Math.Max(attrs.SampleIntervalUs, 1);
        ulong n = attrs.AggrIntervalUs / sample;
        return (uint)Math.Clamp(n, 1UL, uint.MaxValue);
    }

    /// <summary>damon_update_region_access_rate (G2): one more accessed sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UpdateRegionAccessRate(Region r, bool accessed)
    {
        if (accessed)
            r.NrAccesses++;
    }

    /// <summary>damon_mvsum(cur, last, left_bp): the current count plus the unexpired share of the last window.</summary>
    public static ulong Mvsum(ulong cur, ulong last, ulong leftBp)
        => cur + KernelMath.MultFrac(last, leftBp, 10000);

    /// <summary>
    /// Basis points of the current aggregation window still to run; 10000 right after a reset,
    /// 0 at the boundary.
    /// </summary>
    private static ulong WindowLeftBp(DamonContext ctx)
    {
        var attrs = ctx.Attrs;
        ulong windowLen = Math.Max(attrs.AggrIntervalUs, 1) / Math.Max(attrs.SampleIntervalUs, 1);
        ulong passed = ctx.PassedSampleIntervals;
        ulong left = passed >= ctx.NextAggregationSis ? 0 : ctx.NextAggregationSis - passed;
        return windowLen == 0 ? 0 : KernelMath.MultFrac(left, 10000, windowLen);
    }

    /// <summary>
    /// damon_nr_accesses_mvsum: the access count DAMOS matches and scores, a moving sum over one
    /// window length at any point inside the window.
    /// </summary>
    public static uint NrAccessesMvsum(Region r, DamonContext ctx)
    {
        ulong leftBp = WindowLeftBp(ctx);
        if (leftBp == 10000)
            return r.LastNrAccesses;
        return (uint)Mvsum(r.NrAccesses, r.LastNrAccesses, leftBp);
    }

    /// <summary>damon_probe_hits_mvsum: the same moving sum over probe i's hit counters.</summary>
    public static uint ProbeHitsMvsum(int i, Region r, DamonContext ctx)
    {
        ulong leftBp = WindowLeftBp(ctx);
        if (leftBp == 10000)
            return r.LastProbeHits[i];
        return (uint)Mvsum(r.ProbeHits[i], r.LastProbeHits[i], leftBp);
    }

    /// <summary>Σ probe_hits[i] × weight_i: the region's score in attributes-only mode.</summary>
    internal static uint ProbeWsum(DamonContext ctx, in ProbeHits hits)
    {
        uint sum = 0;
        var probes = ctx.Probes;
        for (int i = 0; i < probes.Count && i < Region.MaxProbes; i++)
            sum += hits[i] * probes[i].Weight;
        return sum;
    }

    /// <summary>kdamond_reset_aggregated: close the window; the counts become the "last" ones.</summary>
    public static void ResetAggregated(DamonContext ctx)
    {
        ctx.Aggregated?.Invoke(ctx);
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                r.LastNrAccesses = r.NrAccesses;
                r.NrAccesses = 0;
                r.LastProbeHits = r.ProbeHits;
                r.ProbeHits = default;
                r.AccessesBy?.Clear();
            }
        }
    }
}
