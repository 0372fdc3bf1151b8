using Damon.Core.Monitoring;

namespace Damon.Modules.Stat;

/// <summary>Which stat.c defines a region's idle time (spec §4.3).</summary>
public enum StatIdleTimeRule
{
    /// <summary>Newer stat.c: accessed regions count as -(age+1), so hotter-for-longer sorts first.</summary>
    Signed,
    /// <summary>The first stat.c: accessed regions are 0 idle.</summary>
    FirstVersion,
}

/// <summary>DAMON_STAT's metrics, computed from a context's current regions (mm/damon/stat.c).</summary>
public static class StatComputation
{
    /// <summary>memory_idle_ms_percentiles has entries 0..100.</summary>
    public const int NrPercentiles = 101;

    /// <summary>
    /// damon_stat_set_estimated_memory_bandwidth: Σ size × nr_accesses over the regions, in bytes
    /// per second of the aggregation interval. Unsigned long arithmetic, wrapping as the kernel's.
    /// </summary>
    public static ulong EstimatedMemoryBandwidth(DamonContext c)
    {
        ulong accessBytes = 0;
        unchecked
        {
            foreach (var t in c.Targets)
                foreach (var r in t.Regions)
                    accessBytes += r.Size * r.NrAccesses;
            return accessBytes * 1000 * 1000 / c.Attrs.AggrIntervalUs;
        }
    }

    /// <summary>damon_stat_idletime: in aggregation intervals.</summary>
    public static int IdleTime(Region r, StatIdleTimeRule rule = StatIdleTimeRule.Signed)
    {
        if (r.NrAccesses != 0)
            return rule == StatIdleTimeRule.Signed ? -1 * unchecked((int)(r.Age + 1)) : 0;
        return unchecked((int)(r.Age + 1));
    }

    /// <summary>
    /// damon_stat_set_idletime_percentiles: sort the regions by idle time, walk them accumulating
    /// bytes, and give every percentile up to the accumulated share that region's idle time in
    /// milliseconds. Entries stay as they were when the context has no memory. Ties need no
    /// stable order: equally idle regions write the same value.
    /// </summary>
    public static void SetIdleTimePercentiles(DamonContext c, long[] percentiles, StatIdleTimeRule rule = StatIdleTimeRule.Signed)
    {
        if (percentiles.Length < NrPercentiles)
            throw new ArgumentException($"needs {NrPercentiles} entries", nameof(percentiles));
        var regions = new List<(int Idle, ulong Size)>();
        ulong totalSz = 0;
        foreach (var t in c.Targets)
        {
            foreach (var r in t.Regions)
            {
                regions.Add((IdleTime(r, rule), r.Size));
                totalSz += r.Size;
            }
        }
        if (totalSz == 0)
            return;
        regions.Sort(static (a, b) => a.Idle.CompareTo(b.Idle));
        long aggrIntervalUs = (long)c.Attrs.AggrIntervalUs;
        ulong accountedBytes = 0;
        int nextPercentile = 0;
        foreach (var (idle, size) in regions)
        {
            accountedBytes += size;
            while ((ulong)nextPercentile <= unchecked(accountedBytes * 100) / totalSz)
                percentiles[nextPercentile++] = idle * aggrIntervalUs / 1000;
        }
    }
}
