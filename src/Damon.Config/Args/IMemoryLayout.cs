using Damon.Config.Schema;

namespace Damon.Config.Args;

/// <summary>
/// The physical memory layout damo reads from /proc/iomem and sysfs, for paddr targets given no
/// regions. The simulated machine and Linux each provide one; without it such targets keep an
/// empty region list.
/// </summary>
public interface IMemoryLayout
{
    /// <summary>damo's default paddr region: the largest "System RAM" range, or null.</summary>
    AddrRangeSpec? DefaultPaddrRegion();

    /// <summary>Physical address ranges of NUMA node <paramref name="nid"/> (for --numa_node).</summary>
    IReadOnlyList<AddrRangeSpec> NodeRanges(int nid);
}
