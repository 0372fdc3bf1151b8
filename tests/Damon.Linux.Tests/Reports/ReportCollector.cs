using System.Collections.Concurrent;
using Damon.Linux.Reports;

namespace Damon.Linux.Tests.Reports;

/// <summary>A sink that keeps every report, for exact comparisons.</summary>
internal sealed class ReportCollector : IAccessReportSink
{
    private readonly ConcurrentQueue<LinuxAccessReport> _reports = new();

    public void Report(in LinuxAccessReport report) => _reports.Enqueue(report);

    public IReadOnlyList<LinuxAccessReport> All => [.. _reports];
}
