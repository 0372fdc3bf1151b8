namespace Damon.Records.Reports;

/// <summary>Options of <c>report wss</c>, with damo's defaults.</summary>
public sealed class WssReportOptions
{
    /// <summary>Percentiles as Python range(start, stop, step).</summary>
    public (int Start, int Stop, int Step) Range { get; set; } = (0, 101, 25);
    public int ExcludeSamples { get; set; } = 20;
    public long AccThres { get; set; } = 1;
    public long SzThres { get; set; } = 1;
    public long WorkTimeUs { get; set; } = 1;
    /// <summary>"size" (default) sorts the working set sizes; "time" keeps them in time order.</summary>
    public string SortBy { get; set; } = "size";
    public int NrColsBar { get; set; } = 59;
    public bool RawNumber { get; set; }
    public bool AllWss { get; set; }
    public bool CollapseTargets { get; set; } = true;
}
