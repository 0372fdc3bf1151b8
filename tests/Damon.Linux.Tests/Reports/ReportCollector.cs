using System.Collections.Concurrent;
using Damon.Core.Sampling;
using Damon.Linux.Reports;

namespace Damon.Linux.Tests.Reports;

/// <summary>A sink that keeps every report, for exact comparisons.</summary>
internal sealed class ReportCollector : IAccessReportSink
{
    private readonly ConcurrentQueue<DamonAccessReport> _reports = new();

    public void Report(in DamonAccessReport report) => _reports.Enqueue(report);

    public IReadOnlyList<DamonAccessReport> All => [.. _reports];
}
