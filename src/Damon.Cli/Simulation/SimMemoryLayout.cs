using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Sim.Machine;

namespace Damon.Cli.Simulation;

/// <summary>The simulated machine's physical layout, for paddr targets given without --regions.</summary>
internal sealed class SimMemoryLayout(SimMachine machine) : IMemoryLayout
{
    /// <summary>
    /// From the first to the last byte of System RAM (damon_set_region_system_rams_default), not
    /// damo's largest single range: on a tiered machine the point is to see every tier at once.
    /// </summary>
    public AddrRangeSpec? DefaultPaddrRegion()
    {
        var (start, end) = machine.SystemRamRange();
        return new AddrRangeSpec(start, end);
    }

    public IReadOnlyList<AddrRangeSpec> NodeRanges(int nid)
    {
        if (nid < 0 || nid >= machine.NrNodes) return [];
        var (start, end) = machine.NodePhysRange(nid);
        return [new AddrRangeSpec(start, end)];
    }
}
