using System.Runtime.CompilerServices;
using Damon.Sim.Memory;
using Damon.Sim.Reports;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    private SimPageFaultPrimitive? _damonFaults;

    /// <summary>DAMON's page-fault sampling primitive on this machine, shared by every context that uses it.</summary>
    public SimPageFaultPrimitive DamonFaults => _damonFaults ??= new SimPageFaultPrimitive(this);

    /// <summary>A PMU-like sampler of every thread's accesses (IBS / PEBS style), or none.</summary>
    public SimPmuSampler? PmuSampler { get; set; }

    /// <summary>
    /// Protect one folio for DAMON (change_protection with MM_CP_DAMON): its next access faults.
    /// False if the frame holds no mapped folio, which cannot fault.
    /// </summary>
    public bool SetDamonProt(uint frame)
    {
        uint head = Frames.FolioHead(frame);
        var f = Frames.GetFlags(head);
        if ((f & PageFlags.Allocated) == 0 || (f & PageFlags.Mapped) == 0)
            return false;
        Frames.SetFlags(head, f | PageFlags.DamonProt);
        // The same change_protection path as NUMA hinting, so the same flush.
        FlushFolioTlb(head);
        return true;
    }

    /// <summary>
    /// Remove DAMON's protection from a folio; false if it had none (an access took it already).
    /// With a shared protection (<see cref="ProtNoneRouter"/>) restoring the PTE also removes a
    /// NUMA-balancing mark on the same folio.
    /// </summary>
    public bool ClearDamonProt(uint frame)
    {
        uint head = Frames.FolioHead(frame);
        var f = Frames.GetFlags(head);
        if ((f & PageFlags.DamonProt) == 0)
            return false;
        Frames.SetFlags(head, f & ~(ProtNoneRouter is not null ? AnyProt : PageFlags.DamonProt));
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong DamonFault(SimThread th, uint head, uint frame, ulong addr, bool write)
    {
        Frames.SetFlags(head, Frames.GetFlags(head) & ~PageFlags.DamonProt);
        return DamonFaults.OnFault(th, frame, addr, write);
    }
}
