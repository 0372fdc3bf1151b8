using System.Runtime.CompilerServices;
using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

/// <summary>
/// Handles NUMA hint faults (do_numa_page): called when a thread touches a folio whose
/// <see cref="PageFlags.ProtNone"/> bit is set, after the bit is cleared. Returns the stall to
/// charge the faulting thread (the fault itself plus any synchronous migration).
/// </summary>
public interface IHintFaultHandler
{
    ulong OnHintFault(SimThread thread, uint headFrame, bool write);
}

public sealed partial class SimMachine
{
    /// <summary>Who handles hint faults; with none, a PROT_NONE folio just has its bit cleared.</summary>
    public IHintFaultHandler? HintFaultHandler { get; set; }

    public ulong NrHintFaults { get; private set; }

    /// <summary>change_prot_numa on one folio: its next access takes a hint fault. False if not allocated.</summary>
    public bool SetProtNone(uint frame)
    {
        uint head = Frames.FolioHead(frame);
        var f = Frames.GetFlags(head);
        if ((f & PageFlags.Allocated) == 0 || (f & PageFlags.Mapped) == 0)
            return false;
        Frames.SetFlags(head, f | PageFlags.ProtNone);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong HintFault(SimThread th, uint head, bool write)
    {
        Frames.SetFlags(head, Frames.GetFlags(head) & ~PageFlags.ProtNone);
        NrHintFaults++;
        return HintFaultHandler?.OnHintFault(th, head, write) ?? 0;
    }
}
