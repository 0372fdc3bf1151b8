using Damon.Core.Monitoring;
using Damon.Core.Sampling;

namespace Damon.Linux.Reports;

/// <summary>
/// Where a Linux source puts its reports: the engine's report buffers (<see cref="ContextReportSink"/>)
/// or a test's list. Called on the source's thread; it must not block (the engine's buffer drops, it
/// does not wait). A field the source cannot know is 0 (addresses, pid) or <see cref="Unknown"/> (cpu, tid).
/// </summary>
public interface IAccessReportSink
{
    public const int Unknown = -1;

    void Report(in DamonAccessReport report);
}

/// <summary>
/// damon_report_access for Linux sources: every report goes to each context's buffer
/// (<see cref="DamonReports.ReportAccess"/>, which stamps it with the context's clock), as a source
/// serving several contexts must. Contexts fold reports only with the page_fault primitive enabled.
/// </summary>
public sealed class ContextReportSink(params DamonContext[] contexts) : IAccessReportSink
{
    private long _nrDropped;

    /// <summary>Reports some context's buffer dropped (full, or busy with a fold).</summary>
    public long NrDropped => Interlocked.Read(ref _nrDropped);

    public void Report(in DamonAccessReport report)
    {
        foreach (var ctx in contexts)
            if (!DamonReports.ReportAccess(ctx, report))
                Interlocked.Increment(ref _nrDropped);
    }
}
