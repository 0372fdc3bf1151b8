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
    public static ulong EstimatedMemoryBandwidth(DamonContext c, AddrRange? within = null)
    {
        ulong accessBytes = 0;
        unchecked
        {
            foreach (var (size, nrAccesses, _) in Pieces(c, within))
                accessBytes += size * nrAccesses;
            return accessBytes * 1000 * 1000 / c.Attrs.AggrIntervalUs;
        }
    }

    /// <summary>
    /// Size, nr_accesses and age of every region, cut to <paramref name="within"/> when given: in
    /// a shared context (Modules/Shared) STAT reports on its own range, as alone, not on the union.
    /// </summary>
    private static IEnumerable<(ulong Size, uint NrAccesses, uint Age)> Pieces(DamonContext c, AddrRange? within)
    {
        foreach (var t in c.Targets)
        {
            foreach (var r in t.Regions)
            {
                ulong start = r.Start, end = r.End;
                if (within is { } w)
                {
                    start = Math.Max(start, w.Start);
                    end = Math.Min(end, w.End);
                    if (end <= start)
                        continue;
                }
                yield return (end - start, r.NrAccesses, r.Age);
            }
        }
    }

    /// <summary>damon_stat_idletime: in aggregation intervals.</summary>
    public static int IdleTime(Region r, StatIdleTimeRule rule = StatIdleTimeRule.Signed) => IdleTime(r.NrAccesses, r.Age, rule);

    private static int IdleTime(uint nrAccesses, uint age, StatIdleTimeRule rule)
    {
        if (nrAccesses != 0)
            return rule == StatIdleTimeRule.Signed ? -1 * unchecked((int)(age + 1)) : 0;
        return unchecked((int)(age + 1));
    }

    /// <summary>
    /// damon_stat_set_idletime_percentiles: sort the regions by idle time, walk them accumulating
    /// bytes, and give every percentile up to the accumulated share that region's idle time in
    /// milliseconds. Entries stay as they were when the context has no memory. Ties need no
    /// stable order: equally idle regions write the same value.
    /// </summary>
    public static void SetIdleTimePercentiles(DamonContext c, long[] percentiles, StatIdleTimeRule rule = StatIdleTimeRule.Signed,
        AddrRange? within = null)
    {
        if (percentiles.Length < NrPercentiles)
            throw new ArgumentException($"needs {NrPercentiles} entries", nameof(percentiles));
        var regions = new List<(int Idle, ulong Size)>();
        ulong totalSz = 0;
        foreach (var (size, nrAccesses, age) in Pieces(c, within))
        {
            regions.Add((IdleTime(nrAccesses, age, rule), size));
            totalSz += size;
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
