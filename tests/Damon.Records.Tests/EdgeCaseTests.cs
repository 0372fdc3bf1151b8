using System.Text;
using Damon.Records.IO;
using Damon.Records.Reports;
using Damon.Records.Transforms;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Odd but well-formed records: reports either render or refuse with a ReportException.</summary>
public class EdgeCaseTests
{
    private const string Intervals = "\"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, \"ops_update_us\": 1000000}";

    // Snapshots ending before they start and empty regions are rejected by the reader
    // (CorruptInputTests); a zero-length snapshot and a one-byte region are the nearest legal forms.
    public static TheoryData<string> Records() => new()
    {
        $"[{{{Intervals}, \"snapshots\": []}}]",
        $"[{{{Intervals}, \"snapshots\": [{{\"start_time\": 0, \"end_time\": 100000000, \"regions\": []}}]}}]",
        $"[{{{Intervals}, \"snapshots\": [{{\"start_time\": 100, \"end_time\": 100, \"regions\": [{{\"start\": 0, \"end\": 4096, \"nr_accesses\": {{\"samples\": 3}}, \"age\": {{\"aggr_intervals\": 2}}}}]}}]}}]",
        $"[{{{Intervals}, \"snapshots\": [{{\"start_time\": 0, \"end_time\": 100000000, \"regions\": [{{\"start\": 4096, \"end\": 4097, \"nr_accesses\": {{\"samples\": 0}}, \"age\": {{\"aggr_intervals\": 0}}}}]}}]}}]",
        $"[{{{Intervals}, \"target_id\": 1, \"snapshots\": [{{\"start_time\": 0, \"end_time\": 100000000, \"regions\": [{{\"start\": 8192, \"end\": 12288, \"nr_accesses\": {{\"percent\": 50}}, \"age\": {{\"usec\": 300000}}}}, {{\"start\": 0, \"end\": 4096, \"nr_accesses\": {{\"samples\": 20}}, \"age\": {{\"aggr_intervals\": 1}}}}]}}]}}, {{\"target_id\": 1, \"snapshots\": []}}]",
        "[]",
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Reports_render_or_refuse(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        List<Damon.Records.Model.DamonRecord> Fresh() => RecordFiles.Parse(bytes, "edge.json");
        Action[] reports =
        [
            () => AccessRawReport.Render(Fresh(), rawNumber: true),
            () => AccessReport.Render(Fresh(), new AccessReportOptions()),
            () => AccessReport.Render(Fresh(), new AccessReportOptions { Style = "recency-sz-hist" }),
            () => AccessReport.Render(Fresh(), new AccessReportOptions { Style = "temperature-percentiles" }),
            () => AccessReport.Render(Fresh(), new AccessReportOptions { Style = "simple-boxes" }),
            () => WssReport.Render(Fresh(), new WssReportOptions { ExcludeSamples = 0 }),
            () => NrRegionsReport.Render(Fresh(), (0, 101, 50), sortByTime: true),
            () => HeatmapGuide.Render(Fresh(), raw: false),
            () => HeatmapReport.RenderTerminal(Fresh(), new HeatmapOptions()),
            () => HeatmapReport.RenderRaw(Fresh(), new HeatmapOptions { Resolution = (3, 3) }),
            () => RecordAdjuster.Adjust(Fresh(), 1, 0),
        ];
        foreach (var report in reports)
        {
            try
            {
                report();
            }
            catch (ReportException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
    }
}
