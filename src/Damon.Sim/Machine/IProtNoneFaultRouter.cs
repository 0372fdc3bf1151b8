using Damon.Sim.Memory;

namespace Damon.Sim.Machine;

/// <summary>
/// Who had marked a folio when it faulted. The kernel's PTE cannot say: NUMA balancing
/// (change_prot_numa) and the page-fault primitive of DAMON's access-reporting RFC (MM_CP_DAMON)
/// both install the same PAGE_NONE protection. The simulator keeps the two marks apart so a study
/// can count misattributed faults; a router that decides by them models a kernel that added
/// bookkeeping of its own.
/// </summary>
[Flags]
public enum ProtMarks : byte
{
    None = 0,
    /// <summary>NUMA balancing's scanner protected the folio (<see cref="PageFlags.ProtNone"/>).</summary>
    Numa = 1,
    /// <summary>DAMON's page-fault primitive protected it (<see cref="PageFlags.DamonProt"/>).</summary>
    Damon = 2,
}

/// <summary>
/// Takes every fault on a PROT_NONE folio once <see cref="SimMachine.ProtNoneRouter"/> is set: the
/// two users' marks are then one protection (an access faults once, and restoring the PTE removes
/// every mark on it), and the router decides which handler runs — do_numa_page, DAMON's report, or
/// both — as handle_pte_fault would (the RFC v2 patch "mm/memory: implement MM_CP_DAMON" sends the
/// fault to do_damon_page only while numa_balancing is disabled). Returns the stall to charge the
/// faulting thread; the handler may migrate the folio.
/// </summary>
public interface IProtNoneFaultRouter
{
    ulong OnProtNoneFault(SimThread thread, uint headFrame, uint frame, ulong addr, bool write, ProtMarks marks);
}
