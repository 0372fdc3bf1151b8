namespace Damon.Linux.Reports;

/// <summary>
/// A live Linux write-report source on one process: the userfaultfd write-protect sources
/// (<see cref="UffdWpSyncSource"/>, <see cref="UffdWpAsyncSource"/>) and <see cref="SoftDirtySource"/>.
/// </summary>
public interface ILinuxAccessSource : IDisposable
{
    /// <summary>The watched process.</summary>
    int Pid { get; }

    /// <summary>Watch [start, end) of the process (widened to whole pages).</summary>
    void Add(ulong start, ulong end);

    /// <summary>
    /// Once per sampling interval: report the writes the kernel recorded since the last call (the
    /// asynchronous and soft-dirty sources; the synchronous one reports as the faults come) and protect
    /// or clear again, so the next interval's first write to each page is seen. Returns the reports made.
    /// </summary>
    int Rearm(IAccessReportSink sink);
}
