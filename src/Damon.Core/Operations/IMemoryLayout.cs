using Damon.Core.Monitoring;

namespace Damon.Core.Operations;

/// <summary>
/// The physical memory map a backend reports: the "System RAM" resources of /proc/iomem and each
/// node's span. Modules pick their default monitoring region from it, damo-style options their
/// default paddr region and --numa_node ranges. The simulated machine and real Linux
/// (/proc/iomem, /sys/devices/system/node) implement it. Addresses are physical bytes; every
/// range is half-open [Start, End).
/// </summary>
public interface IMemoryLayout
{
    /// <summary>The "System RAM" resources, in address order (walk_system_ram_res).</summary>
    IReadOnlyList<AddrRange> SystemRamRanges();

    /// <summary>
    /// A node's PFN span times PAGE_SIZE, [node_start_pfn, node_end_pfn); false when the node is
    /// not online.
    /// </summary>
    bool TryGetNodeSpan(int nid, out AddrRange span);
}

/// <summary>A fixed layout, for tests and for machines whose map never changes.</summary>
public sealed class StaticMemoryLayout(IReadOnlyList<AddrRange> systemRam, IReadOnlyDictionary<int, AddrRange>? nodes = null)
    : IMemoryLayout
{
    public IReadOnlyList<AddrRange> SystemRamRanges() => systemRam;

    public bool TryGetNodeSpan(int nid, out AddrRange span)
    {
        if (nodes is not null && nodes.TryGetValue(nid, out span))
            return true;
        span = default;
        return false;
    }
}
