using Damon.Core.Monitoring;
using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Sim.Operations;

/// <summary>
/// vaddr with page-table-tree access checks ("ptp"; beyond the kernel, after Telescope, ATC'24, and
/// the DAMON+PTP patch): a region's sample is the 2 MiB block (PMD entry) holding its sampling
/// address instead of the 4 KiB page, answered top-down from the accessed bits the MMU sets on
/// every page walk: the PUD entry's bit first — clear means nothing in that 1 GiB was walked since
/// the previous sample and the PMD bit is not read — then the PMD entry's. The PTEs' young bits,
/// PG_idle and PG_young are left alone, so reclaim's view of the pages is the same as without
/// monitoring. Regions, their adaptation (merge, split) and DAMOS are vaddr's, unchanged:
/// nr_accesses still counts the samples of a window that saw an access, so it estimates the share
/// of the region's 2 MiB blocks walked per sampling interval, which is what DAMOS access-rate
/// ranges and the intervals tuner read. See docs/monitoring-modes.md.
/// </summary>
public sealed class SimPtpVaddrOperations(SimMachine machine) : SimVaddrOperations(machine)
{
    /// <summary>
    /// Like damon_va_prepare_access_checks (a random address per region, drawn the same way), but
    /// what is made old is the sampled address's PMD and PUD entries, not its PTE. Every region's
    /// entries are cleared at the same instant, so a young PMD at check time implies a young PUD
    /// above it whichever region cleared the PUD: the top-down test cannot miss an access.
    /// </summary>
    public override void PrepareAccessChecks(DamonContext ctx)
    {
        foreach (var t in ctx.Targets)
        {
            var bits = Machine.TryGetProcess(t.Pid) is { Alive: true } p ? p.PageTable.EnableTreeBits() : null;
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                r.SamplingAddr = ctx.Random.Next(r.Start, r.End);
                if (bits is null) continue;
                bits.TestAndClearPud(r.SamplingAddr);
                bits.TestAndClearPmd(r.SamplingAddr);
            }
        }
    }

    /// <summary>Top-down: PUD bit, then (only if set) PMD bit of each region's sampling address.</summary>
    public override uint CheckAccesses(DamonContext ctx)
    {
        uint max = 0;
        foreach (var t in ctx.Targets)
        {
            var bits = Machine.TryGetProcess(t.Pid) is { Alive: true } p ? p.PageTable.TreeBits : null;
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                bool accessed = bits is not null && bits.PudYoung(r.SamplingAddr) && bits.PmdYoung(r.SamplingAddr);
                DamonCore.UpdateRegionAccessRate(r, accessed);
                max = Math.Max(max, r.NrAccesses);
            }
        }
        return max;
    }
}
