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
    // Head frames each context protected in its current sample, for ClearStaleMarks.
    private readonly Dictionary<DamonContext, List<uint>> _marked = [];

    /// <summary>Time a DAMON fault stalls the faulting thread (a minor fault's entry and exit, by default).</summary>
    public ulong FaultCostNs { get; set; } = machine.Spec.Faults.MinorFaultNs;

    /// <summary>
    /// Whether <see cref="Protect"/> marks folios. Off, contexts with the page_fault primitive
    /// fold only what other sources report (a <see cref="SimPmuSampler"/>), with no fault cost.
    /// </summary>
    public bool Protecting { get; set; } = true;

    /// <summary>
    /// Remove a context's marks that no access reached when it starts its next sample, so only
    /// the current sampling folios can fault (what page_table's check looks at). Off by default, as
    /// the RFC is restated (damon-spec §5: a new sampling address is protected each sample, nothing
    /// restores the old): a cold region keeps collecting marks and any later access to one counts
    /// for it.
    /// </summary>
    public bool ClearStaleMarks { get; set; }

    public ulong NrProtected { get; private set; }
    public ulong NrStaleCleared { get; private set; }
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
        if (!Protecting || !machine.SetDamonProt(frame))
            return false;
        NrProtected++;
        if (ClearStaleMarks)
            MarkedBy(ctx).Add(machine.Frames.FolioHead(frame));
        return true;
    }

    /// <summary>
    /// Called by an operations set before it protects a new sample's folios: with
    /// <see cref="ClearStaleMarks"/>, the previous sample's marks still set are removed.
    /// </summary>
    public void BeginSample(DamonContext ctx)
    {
        if (!_marked.TryGetValue(ctx, out var marked))
            return;
        foreach (uint head in marked)
            if (machine.ClearDamonProt(head))
                NrStaleCleared++;
        marked.Clear();
    }

    private List<uint> MarkedBy(DamonContext ctx)
    {
        if (!_marked.TryGetValue(ctx, out var list))
            _marked[ctx] = list = [];
        return list;
    }

    /// <summary>A thread touched a protected folio: report it and return the stall.</summary>
    public ulong OnFault(SimThread th, uint frame, ulong vaddr, bool write)
    {
        FaultStallNs += FaultCostNs;
        ReportFault(th, frame, vaddr, write);
        return FaultCostNs;
    }

    /// <summary>
    /// damon_report_page_fault for a fault whose entry and exit another handler already pays
    /// (do_numa_page, when a shared protection sends the fault to both): the report, no stall.
    /// </summary>
    public void ReportFault(SimThread th, uint frame, ulong vaddr, bool write)
    {
        NrFaults++;
        var report = new DamonAccessReport(
            Paddr: ((ulong)frame << PageSizes.PageShift) | (vaddr & (PageSizes.PageSize - 1)),
            Vaddr: vaddr, Size: 1, Cpu: th.Cpu, Tid: th.Tid, IsWrite: write, Pid: th.Process.Pid);
        // A context whose kdamond ended (targets gone) or that went back to page_table stops listening.
        _contexts.RemoveAll(c => c.Targets.Count == 0 || !c.Attrs.SampleControl.UsesReports);
        foreach (var ctx in _contexts)
            DamonReports.ReportAccess(ctx, report);
    }
}
