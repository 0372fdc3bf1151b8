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
    private const PageFlags AnyProt = PageFlags.ProtNone | PageFlags.DamonProt;

    /// <summary>Who handles hint faults; with none, a PROT_NONE folio just has its bit cleared.</summary>
    public IHintFaultHandler? HintFaultHandler { get; set; }

    /// <summary>
    /// Set, NUMA balancing's and DAMON's marks share one protection as in the kernel, and this
    /// router takes every fault on either (<see cref="IProtNoneFaultRouter"/>); unset (the default),
    /// each user's mark faults on its own and goes to its own handler.
    /// </summary>
    public IProtNoneFaultRouter? ProtNoneRouter { get; set; }

    public ulong NrHintFaults { get; private set; }

    /// <summary>
    /// change_prot_numa on one folio: its next access takes a hint fault. False if not allocated,
    /// or — with a shared protection — if the folio is PROT_NONE already, which change_pte_range
    /// skips without touching it (prot_numa_skip: no new access time, not counted as updated).
    /// </summary>
    public bool SetProtNone(uint frame)
    {
        uint head = Frames.FolioHead(frame);
        var f = Frames.GetFlags(head);
        if ((f & PageFlags.Allocated) == 0 || (f & PageFlags.Mapped) == 0)
            return false;
        if (ProtNoneRouter is not null && (f & AnyProt) != 0)
            return false;
        Frames.SetFlags(head, f | PageFlags.ProtNone);
        // change_pte_range makes the PTE PROT_NONE and the mmu_gather flushes it
        // (tlb_flush_pte_range), so the next access walks and faults.
        FlushFolioTlb(head);
        return true;
    }

    /// <summary>
    /// change_protection back to the VMA's protection on one folio: with a shared protection every
    /// mark on it goes, whoever set it; otherwise only NUMA balancing's. False if it had none.
    /// </summary>
    public bool ClearProtNone(uint frame)
    {
        uint head = Frames.FolioHead(frame);
        var f = Frames.GetFlags(head);
        var clear = ProtNoneRouter is not null ? AnyProt : PageFlags.ProtNone;
        if ((f & clear) == 0)
            return false;
        Frames.SetFlags(head, f & ~clear);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong HintFault(SimThread th, uint head, bool write)
    {
        Frames.SetFlags(head, Frames.GetFlags(head) & ~PageFlags.ProtNone);
        NrHintFaults++;
        return HintFaultHandler?.OnHintFault(th, head, write) ?? 0;
    }

    /// <summary>One fault on a folio under the shared protection: the PTE is restored (every mark goes), the router decides the rest.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong SharedProtFault(IProtNoneFaultRouter router, SimThread th, uint head, uint frame, ulong addr, bool write)
    {
        var f = Frames.GetFlags(head);
        var marks = ((f & PageFlags.ProtNone) != 0 ? ProtMarks.Numa : ProtMarks.None)
            | ((f & PageFlags.DamonProt) != 0 ? ProtMarks.Damon : ProtMarks.None);
        Frames.SetFlags(head, f & ~AnyProt);
        NrHintFaults++;
        return router.OnProtNoneFault(th, head, frame, addr, write, marks);
    }
}
