namespace Damon.Linux.Reports;

/// <summary>
/// Runs live sources beside a kdamond: once per sampling interval each source reports what the
/// kernel recorded and re-arms (<see cref="ILinuxAccessSource.Rearm"/>), into one sink (normally a
/// <see cref="ContextReportSink"/> over the contexts that use reports). The wait between rounds is
/// injected, so tests run rounds without a clock.
/// </summary>
public sealed class AccessSourcePump(IReadOnlyList<ILinuxAccessSource> sources, IAccessReportSink sink, Action<ulong, CancellationToken>? waitUs = null)
{
    private readonly Action<ulong, CancellationToken> _waitUs = waitUs ?? ((us, ct) => ct.WaitHandle.WaitOne(TimeSpan.FromMicroseconds(us)));

    public long NrRounds { get; private set; }
    public long NrReports { get; private set; }

    /// <summary>One round: every source reports and re-arms.</summary>
    public int Round()
    {
        int n = 0;
        foreach (var s in sources) n += s.Rearm(sink);
        NrRounds++;
        NrReports += n;
        return n;
    }

    /// <summary>Rounds every <paramref name="sampleIntervalUs"/> until cancelled.</summary>
    public void Run(ulong sampleIntervalUs, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Round();
            _waitUs(sampleIntervalUs, ct);
        }
    }
}
