using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Modules.Common;

/// <summary>
/// How a module sets its single target region when the user left <c>monitor_region_start</c> =
/// <c>monitor_region_end</c> = 0 (the rules are <see cref="DefaultRegionRule"/>).
/// </summary>
public static class SystemRamRegion
{
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
                ? SystemRams.TryFindBiggest(layout, out start, out end)
                : SystemRams.TryFindSystemRams(layout, addrUnit, out start, out end);
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
