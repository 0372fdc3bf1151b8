using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Reports;

namespace Damon.Tiering.Interference;

/// <summary>
/// handle_pte_fault's choice for a PROT_NONE fault under one <see cref="FaultSharing"/> policy:
/// do_numa_page (<paramref name="numa"/>), DAMON's report (<paramref name="damon"/>) or both.
/// Only <see cref="FaultSharing.Tagged"/> looks at whose mark it was; the others cannot, as the
/// PTE does not say. The marks are also what the counters compare the choice against.
/// </summary>
public sealed class FaultSharingRouter(FaultSharing sharing, SimMachine machine, IHintFaultHandler? numa, SimPageFaultPrimitive? damon)
    : IProtNoneFaultRouter
{
    public FaultSharing Sharing { get; } = sharing;

    /// <summary>The user an isolation policy has on; the others ignore it.</summary>
    public FaultSide Active { get; set; } = FaultSide.Numa;

    public ulong NrFaults { get; private set; }
    /// <summary>Faults on a folio only NUMA balancing had marked that DAMON counted as a sampled access.</summary>
    public ulong DamonCountedNumaFaults { get; private set; }
    /// <summary>Faults on a folio only DAMON had marked that NUMA balancing handled as a hint fault.</summary>
    public ulong NumaHandledDamonFaults { get; private set; }
    /// <summary>Faults on a DAMON mark that never reached DAMON (the sample it was for is lost).</summary>
    public ulong DamonFaultsLost { get; private set; }
    /// <summary>Faults on a NUMA-balancing mark that never reached do_numa_page.</summary>
    public ulong NumaFaultsLost { get; private set; }
    /// <summary>Stall charged to faulting threads, fault entry and synchronous promotion included.</summary>
    public ulong FaultStallNs { get; private set; }

    public ulong MisattributedFaults => DamonCountedNumaFaults + NumaHandledDamonFaults;

    /// <summary>Who takes a fault whose folio carried <paramref name="marks"/>.</summary>
    public (bool Numa, bool Damon) Handlers(ProtMarks marks)
    {
        var (toNuma, toDamon) = Sharing switch
        {
            FaultSharing.ExclusionNuma => (true, false),
            FaultSharing.ExclusionDamon => (false, true),
            FaultSharing.RuntimeIsolation or FaultSharing.PartialIsolation => (Active == FaultSide.Numa, Active == FaultSide.Damon),
            FaultSharing.Interfere => (true, true),
            FaultSharing.Tagged => ((marks & ProtMarks.Numa) != 0, (marks & ProtMarks.Damon) != 0),
            _ => throw new InvalidOperationException($"unknown sharing policy {Sharing}"),
        };
        return (toNuma && numa is not null, toDamon && damon is not null);
    }

    public ulong OnProtNoneFault(SimThread thread, uint headFrame, uint frame, ulong addr, bool write, ProtMarks marks)
    {
        NrFaults++;
        var (toNuma, toDamon) = Handlers(marks);
        if (toDamon && marks == ProtMarks.Numa) DamonCountedNumaFaults++;
        if (toNuma && marks == ProtMarks.Damon) NumaHandledDamonFaults++;
        if ((marks & ProtMarks.Damon) != 0 && !toDamon) DamonFaultsLost++;
        if ((marks & ProtMarks.Numa) != 0 && !toNuma) NumaFaultsLost++;
        ulong stallNs = 0;
        // DAMON reports before do_numa_page may move the folio, so the report's paddr is the faulting one.
        if (toDamon)
        {
            if (toNuma) damon!.ReportFault(thread, frame, addr, write);
            else stallNs += damon!.OnFault(thread, frame, addr, write);
        }
        if (toNuma)
            stallNs += numa!.OnHintFault(thread, headFrame, write);
        // Nobody's handler runs, but the access still trapped and the PTE was fixed up.
        if (!toNuma && !toDamon)
            stallNs = machine.Spec.Faults.MinorFaultNs;
        FaultStallNs += stallNs;
        return stallNs;
    }
}
