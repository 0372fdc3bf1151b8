namespace Damon.Records.Reports;

/// <summary>Options of <c>report access</c>, with damo's defaults.</summary>
public sealed class AccessReportOptions
{
    public static IReadOnlyList<string> Styles { get; } =
    [
        "detailed", "simple-boxes", "temperature-sz-hist", "recency-sz-hist", "cold-memory-tail",
        "recency-percentiles", "idle-time-percentiles", "temperature-percentiles", "cold", "hot",
    ];

    public static IReadOnlyList<string> SortKeys { get; } = ["address", "access_rate", "age", "size", "temperature"];

    public string Style { get; set; } = "detailed";
    public bool RawNumber { get; set; }
    public IReadOnlyList<string> SortRegionsBy { get; set; } = ["address"];
    /// <summary>Keys sorted in descending order; "all" means every key.</summary>
    public IReadOnlyList<string> SortRegionsDsc { get; set; } = [];
    public IReadOnlyList<double> TemperatureWeights { get; set; } = [0, 100, 100];
    /// <summary>Percentiles to show: up to three values are Python range() arguments, more are a list.</summary>
    public IReadOnlyList<int>? PercentilesRange { get; set; }
    public bool HistLogscale { get; set; }
    public bool HistCumulate { get; set; }
    public int SnapshotHeatmapWidth { get; set; } = 80;
    /// <summary>Widest snapshot heatmap line drawn; each column scans the snapshot's regions.</summary>
    public const int MaxSnapshotHeatmapWidth = 10000;
    public string SnapshotHeatmapColorset { get; set; } = "gray";
    public bool SnapshotHeatmapStatic { get; set; }
    public bool TotalSzOnly { get; set; }
    /// <summary>
    /// Damon's <c>--breakdown</c>: append each region's shares of its accesses by this key
    /// (<c>by thread: 101 75 %, 102 25 %</c>) to the region lines; null for damo's output.
    /// </summary>
    public BreakdownKind? Breakdown { get; set; }
    /// <summary>
    /// damo's <c>--format &lt;set|append&gt; &lt;area&gt; &lt;template&gt;</c> customizations, in order. Areas:
    /// record_head, snapshot_head, region, snapshot_tail, record_tail.
    /// </summary>
    public IReadOnlyList<(string Action, string Area, string Template)> Formats { get; set; } = [];

    public static IReadOnlyList<string> FormatAreas { get; } = ["record_head", "snapshot_head", "region", "snapshot_tail", "record_tail"];
}
