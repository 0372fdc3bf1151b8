using Damon.Records.IO;
using Damon.Records.Reports;
using Damon.Records.Transforms;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// The report forms with golden outputs must also run on every other input damo ships. Records
/// without intervals (damon.data, the perf trace) cannot show access rates: there the styled
/// access report must refuse with damo's message instead of printing something wrong.
/// </summary>
public class AllInputsTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var name in DamoReportData.InputNames()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_report_form_runs_on_every_input(string inputName)
    {
        var path = DamoReportData.Input(inputName);
        var records = RecordFiles.Read(path);
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.NotEmpty(r.Snapshots));
        int nrSnapshots = records.Sum(r => r.Snapshots.Count);

        string raw = AccessRawReport.Render(RecordFiles.Read(path), rawNumber: false);
        Assert.Equal(nrSnapshots, CountOccurrences(raw, "monitoring_start:"));
        AccessRawReport.Render(RecordFiles.Read(path), rawNumber: true);

        bool hasIntervals = records.All(r => r.Intervals is not null);
        foreach (var style in AccessReportOptions.Styles)
        {
            var fresh = RecordFiles.Read(path);
            if (hasIntervals)
            {
                string text = AccessReport.Render(fresh, new AccessReportOptions { Style = style });
                Assert.Contains("record DAMON intervals: sample ", text);
            }
            else
            {
                var e = Assert.Throws<ReportException>(() => AccessReport.Render(fresh, new AccessReportOptions { Style = style }));
                Assert.Equal(AccessReport.MissingIntervalsMessage, e.Message);
            }
        }

        string wss = WssReport.Render(RecordFiles.Read(path), new WssReportOptions { Range = (1, 101, 1), RawNumber = true });
        Assert.StartsWith("# target_id\t", wss);
        string nrRegions = NrRegionsReport.Render(RecordFiles.Read(path), (1, 101, 1), sortByTime: false);
        Assert.StartsWith("# <percentile> <# regions>\n", nrRegions);
        string guide = HeatmapGuide.Render(RecordFiles.Read(path), raw: true);
        Assert.Contains("time: [", guide);

        var options = new HeatmapOptions();
        string terminal = HeatmapReport.RenderTerminal(RecordFiles.Read(path), options);
        Assert.Contains("# resolution: 80x40", terminal);
        string rawMap = HeatmapReport.RenderRaw(RecordFiles.Read(path), new HeatmapOptions { Resolution = (10, 20) });
        Assert.Equal(10 * 20, rawMap.TrimEnd('\n').Split('\n').Length);

        var adjusted = RecordAdjuster.Adjust(RecordFiles.Read(path), 1000000, 0);
        AccessRawReport.Render(adjusted, rawNumber: false);
    }

    [Fact]
    public void Snapshot_inputs_with_filters_show_df_passed_columns()
    {
        var records = RecordFiles.Read(DamoReportData.Input("damon.data.snapshot.active"));
        string text = AccessReport.Render(records, new AccessReportOptions());
        Assert.Contains("# damos filters (df): allow active", text);
        Assert.Contains("df-passed", text);
    }

    private static int CountOccurrences(string text, string what)
    {
        int count = 0, idx = 0;
        while ((idx = text.IndexOf(what, idx, StringComparison.Ordinal)) >= 0)
        {
            count++;
            idx += what.Length;
        }
        return count;
    }
}
