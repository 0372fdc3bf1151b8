using Damon.Core.Monitoring;

namespace Damon.Core.Operations;

/// <summary>
/// Which System RAM a default monitoring region covers (spec §2.12).
/// </summary>
public enum DefaultRegionRule
{
    /// <summary>damon_set_region_biggest_system_ram_default: the largest single System RAM resource (STAT, TIER).</summary>
    BiggestSystemRam,
    /// <summary>damon_set_region_system_rams_default: from the first to the last System RAM resource (newest RECLAIM, LRU_SORT; damo's default paddr region since damo df476a24).</summary>
    SystemRams,
}

/// <summary>The core's System RAM lookups (mm/damon/core.c) over a backend's <see cref="IMemoryLayout"/>.</summary>
public static class SystemRams
{
    /// <summary>
    /// damon_find_biggest_system_ram. Kernel resources carry an inclusive end, and the walk keeps a
    /// resource when the stored (end - start), one less than its size, is below the next one's
    /// size: so the last of equally big resources wins, and the range found ends at the
    /// resource's last byte (the region's alignment rounds it back up).
    /// </summary>
    public static bool TryFindBiggest(IMemoryLayout layout, out ulong start, out ulong endInclusive)
    {
        ulong s = 0, e = 0;
        foreach (var res in layout.SystemRamRanges())
        {
            if (res.End <= res.Start)
                continue;
            if (e - s < res.End - res.Start)
            {
                s = res.Start;
                e = res.End - 1;
            }
        }
        start = s;
        endInclusive = e;
        return e > s;
    }

    /// <summary>
    /// The first System RAM resource's start and the last one's end, both divided by addr_unit
    /// into core addresses.
    /// </summary>
    public static bool TryFindSystemRams(IMemoryLayout layout, ulong addrUnit, out ulong start, out ulong end)
    {
        start = end = 0;
        var rams = layout.SystemRamRanges();
        if (rams.Count == 0)
            return false;
        start = rams[0].Start / addrUnit;
        end = rams[^1].End / addrUnit;
        return end > start;
    }
}
