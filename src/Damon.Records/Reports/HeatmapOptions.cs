namespace Damon.Records.Reports;

/// <summary>Options of <c>report heatmap</c>, with damo's defaults.</summary>
public sealed class HeatmapOptions
{
    public int? KdamondIdx { get; set; }
    public int? ContextIdx { get; set; }
    public int? SchemeIdx { get; set; }
    public ulong? TargetId { get; set; }
    /// <summary>Time and address resolution; null means 40x80 on the terminal and 500x500 for images.</summary>
    public (int Time, int Addr)? Resolution { get; set; }
    /// <summary>[start, end) in absolute ns; null means the guide's span.</summary>
    public (long Start, long End)? TimeRangeNs { get; set; }
    /// <summary>Address ranges to draw, one map each; null means the guide's ("hottest" or "all").</summary>
    public IReadOnlyList<(long Start, long End)>? AddressRanges { get; set; }
    /// <summary>"hottest" draws the contiguous range with the most heat per byte; "all" draws each.</summary>
    public string DrawRange { get; set; } = "hottest";
    public bool AbsTime { get; set; }
    public bool AbsAddr { get; set; }
    public string Colorset { get; set; } = "gray";
    public bool SkipColorsetExample { get; set; }
    public bool DfPassed { get; set; }
    /// <summary>Lay each snapshot's regions out by temperature instead of address (y axis becomes size).</summary>
    public bool SortTemperature { get; set; }
    /// <summary>Temperature weights for access frequency and age, used by <see cref="SortTemperature"/>.</summary>
    public (double Frequency, double Age) TemperatureWeights { get; set; } = (1.0, 1.0);
}
