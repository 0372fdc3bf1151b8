using Damon.Core.Monitoring;
using Damon.Core.Sampling;

namespace Damon.Tiering.ReportUseCases;

/// <summary>The monitoring attributes every use case runs: the defaults, the page_fault primitive and one sample filter.</summary>
public static class PageFaultAttrs
{
    /// <summary>damo's <c>--exp_ops_use_reports y</c> with one filter (<c>--exp_ops_cpus</c>, <c>--exp_ops_tids</c>, <c>--exp_ops_write_only</c>).</summary>
    public static MonitoringAttrs With(DamonSampleFilter filter) => MonitoringAttrs.Default with
    {
        SampleControl = new DamonSampleControl
        {
            PrimitivesEnabled = new(PageTable: false, PageFault: true),
            SampleFilters = [filter],
        },
    };
}
