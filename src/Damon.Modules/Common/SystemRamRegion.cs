using Damon.Core;
using Damon.Core.Monitoring;

namespace Damon.Modules.Common;

/// <summary>
/// How a module picks its monitoring region when the user left
/// <c>monitor_region_start</c> = <c>monitor_region_end</c> = 0 (spec §2.12).
/// </summary>
public enum DefaultRegionRule
{
    /// <summary>damon_set_region_biggest_system_ram_default: the largest single System RAM resource (STAT, TIER).</summary>
    BiggestSystemRam,
    /// <summary>damon_set_region_system_rams_default: from the first to the last System RAM resource (newest RECLAIM, LRU_SORT).</summary>
    SystemRams,
}

/// <summary>The core's helpers that set a module's single target region.</summary>
public static class SystemRamRegion
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

    /// <summary>
    /// damon_set_region_biggest_system_ram_default / damon_set_region_system_rams_default: set
    /// <paramref name="t"/>'s single range to [start, end), or to the System RAM the rule picks when
    /// both are 0 — in which case the picked bounds are written back, as the kernel writes them
    /// into the module parameters.
    /// </summary>
    public static void SetDefault(Target t, ref ulong start, ref ulong end, DefaultRegionRule rule, IMemoryLayout layout,
        ulong addrUnit, ulong minRegionSz)
    {
        if (start > end)
            throw new ModuleParamException("monitor_region_start", $"must not exceed monitor_region_end ({start} > {end})");
        if (start == 0 && end == 0)
        {
            bool found = rule == DefaultRegionRule.BiggestSystemRam
                ? TryFindBiggest(layout, out start, out end)
                : TryFindSystemRams(layout, addrUnit, out start, out end);
            if (!found)
                throw new ModuleParamException("monitor_region_start",
                    "is 0 with monitor_region_end 0, so the System RAM is used, but the memory layout has no usable System RAM");
        }
        try
        {
            DamonCore.SetRegions(t, [new AddrRange(start, end)], minRegionSz);
        }
        catch (DamonException e)
        {
            throw new ModuleParamException("monitor_region_start", $"[{start}, {end}) is not a usable region: {e.Message}", inner: e);
        }
    }
}
