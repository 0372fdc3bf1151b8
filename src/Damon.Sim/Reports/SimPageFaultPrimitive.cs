using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Sim.Reports;

/// <summary>
/// The access-reporting RFC's page_fault primitive on the simulated machine. Each sample, an
/// operations set whose context has the primitive enabled protects every region's sampling folio
/// (<see cref="Protect"/>) instead of clearing its accessed bit; the next access by any thread
/// faults, and the fault is reported (damon_report_page_fault: the faulting virtual and physical
/// address, size 1, the thread's CPU, tid, pid and write flag) to every context using the
/// primitive, and costs the thread <see cref="FaultCostNs"/> of simulated time. A protection no
/// access reached stays until one does, as the kernel's PROT_NONE-style marks do.
/// </summary>
public sealed class SimPageFaultPrimitive(SimMachine machine)
{
    private readonly List<DamonContext> _contexts = [];

    /// <summary>Time a DAMON fault stalls the faulting thread (a minor fault's entry and exit, by default).</summary>
    public ulong FaultCostNs { get; set; } = machine.Spec.Faults.MinorFaultNs;

    public ulong NrProtected { get; private set; }
    public ulong NrFaults { get; private set; }
    /// <summary>Simulated time all DAMON faults stalled threads.</summary>
    public ulong FaultStallNs { get; private set; }

    /// <summary>Contexts that receive the faults' reports.</summary>
    public IReadOnlyList<DamonContext> Contexts => _contexts;

    /// <summary>
    /// damon_pa/va_prepare_access_checks with the page_fault primitive: protect the folio at
    /// <paramref name="frame"/> for <paramref name="ctx"/>. False if there is no mapped folio.
    /// </summary>
    public bool Protect(DamonContext ctx, uint frame)
    {
        if (!_contexts.Contains(ctx))
            _contexts.Add(ctx);
        if (!machine.SetDamonProt(frame))
            return false;
        NrProtected++;
        return true;
    }

    /// <summary>A thread touched a protected folio: report it and return the stall.</summary>
    internal ulong OnFault(SimThread th, uint frame, ulong vaddr, bool write)
    {
        NrFaults++;
        FaultStallNs += FaultCostNs;
        var report = new DamonAccessReport(
            Paddr: ((ulong)frame << PageSizes.PageShift) | (vaddr & (PageSizes.PageSize - 1)),
            Vaddr: vaddr, Size: 1, Cpu: th.Cpu, Tid: th.Tid, IsWrite: write, Pid: th.Process.Pid);
        // A context whose kdamond ended (targets gone) or that went back to page_table stops listening.
        _contexts.RemoveAll(c => c.Targets.Count == 0 || !c.Attrs.SampleControl.UsesReports);
        foreach (var ctx in _contexts)
            DamonReports.ReportAccess(ctx, report);
        return FaultCostNs;
    }
}
