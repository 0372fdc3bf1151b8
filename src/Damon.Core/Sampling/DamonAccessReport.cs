namespace Damon.Core.Sampling;

/// <summary>
/// damon_access_report (access-reporting RFC, damon-spec §5): one access some source saw — a page
/// fault, a PMU sample, a write-protect fault — with who made it. Either address may be 0 when the
/// source cannot tell it (a PMU sample may carry only the virtual address).
/// </summary>
/// <param name="Paddr">Physical address of the access; paddr contexts fold on this.</param>
/// <param name="Vaddr">Virtual address in the process <paramref name="Pid"/>; vaddr/fvaddr contexts fold on this.</param>
/// <param name="Size">Bytes accessed from the address; damon_report_page_fault reports 1.</param>
/// <param name="Cpu">CPU the access ran on (the `cpumask` sample filter).</param>
/// <param name="Tid">Thread id that made the access (the `threads` sample filter).</param>
/// <param name="IsWrite">A write access (the `write` sample filter).</param>
/// <param name="Pid">
/// Thread group id (later hack revisions' tgid); 0 when the source cannot tell, and then a vaddr
/// report counts for every target, as the revision without tgid does.
/// </param>
public readonly record struct DamonAccessReport(
    ulong Paddr, ulong Vaddr, ulong Size, int Cpu, int Tid, bool IsWrite, int Pid = 0)
{
    /// <summary>
    /// report_jiffies (private in the RFC): when the report was made, in nanoseconds of the
    /// context's own clock (<see cref="Monitoring.DamonContext.Clock"/>; virtual time in a
    /// simulation), never the wall clock. Stamped by the buffer unless the source gave it.
    /// </summary>
    public ulong ReportTimeNs { get; init; }
}
