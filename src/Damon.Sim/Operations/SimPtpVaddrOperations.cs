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
public sealed class SimPtpVaddrOperations(SimMachine machine, int pmdSpanShift = SimPtpVaddrOperations.DefaultPmdSpanShift)
    : SimVaddrOperations(machine)
{
    /// <summary>
    /// A sample reads 2^this PMD entries (the aligned group holding the sampling address, within
    /// the region): 4 entries, 8 MiB. See <see cref="PmdSpanShift"/>.
    /// </summary>
    public const int DefaultPmdSpanShift = 2;

    /// <summary>
    /// log2 of the PMD entries one sample reads: the sample is "accessed" when any 2 MiB block of
    /// the aligned 2^this-block group holding the sampling address (cut to the region) was walked.
    /// One bit word either way, so the check costs the same; a wider span makes a hot region's
    /// samples hit more surely (at 1 TiB a single hot PMD is walked in 65 % of the 5 ms intervals,
    /// four of them in 98.5 %), so neighbouring hot regions count alike, merge, and the kdamond has
    /// fewer regions to visit. 0 is one PMD per sample. At most 6 (64 entries, one word).
    /// </summary>
    public int PmdSpanShift { get; } = pmdSpanShift is >= 0 and <= 6
        ? pmdSpanShift
        : throw new ArgumentOutOfRangeException(nameof(pmdSpanShift), "a span is 2^0..2^6 PMD entries");

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
                bits.TestAndClearPmdSpan(r.SamplingAddr, r.Start, r.End, PmdSpanShift);
            }
        }
    }

    /// <summary>Top-down: PUD bit, then (only if set) the PMD span of each region's sampling address.</summary>
    public override uint CheckAccesses(DamonContext ctx)
    {
        uint max = 0;
        foreach (var t in ctx.Targets)
        {
            var bits = Machine.TryGetProcess(t.Pid) is { Alive: true } p ? p.PageTable.TreeBits : null;
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                bool accessed = bits is not null && bits.PudYoung(r.SamplingAddr)
                    && bits.PmdSpanYoung(r.SamplingAddr, r.Start, r.End, PmdSpanShift);
                DamonCore.UpdateRegionAccessRate(r, accessed);
                max = Math.Max(max, r.NrAccesses);
            }
        }
        return max;
    }
}
