namespace Damon.Linux.Reports;

/// <summary>
/// One access a Linux source saw, in the fields of the RFC's <c>struct damon_access_report</c>
/// (paddr, vaddr, size, cpu, tid, is_write) plus the time the source saw it. A field the source
/// cannot know is 0 (addresses) or -1 (cpu, tid). <see cref="TimeNs"/> is the source's clock:
/// CLOCK_MONOTONIC for the live sources, perf's sample clock for imported samples.
/// </summary>
public readonly record struct LinuxAccessReport(ulong Paddr, ulong Vaddr, ulong Size, int Cpu, int Tid, bool IsWrite, long TimeNs)
{
    public const int Unknown = -1;
}

/// <summary>
/// Where a source puts its reports: the engine's report buffer (damon_report_access) or a test's
/// list. Called from the source's thread; it must not block (the buffer drops, it does not wait).
/// </summary>
public interface IAccessReportSink
{
    void Report(in LinuxAccessReport report);
}
