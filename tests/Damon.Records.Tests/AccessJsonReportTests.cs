using System.Text;
using System.Text.Json;
using Damon.Records.IO;
using Damon.Records.Reports;
using Xunit;

namespace Damon.Records.Tests;

public class AccessJsonReportTests
{
    [Theory]
    [InlineData("damon.data.snapshot.active")]
    [InlineData("perf.data.script")]
    public void Json_report_is_damo_display_form_and_reads_back(string inputName)
    {
        var records = RecordFiles.Read(DamoReportData.Input(inputName));
        new RecordFilter().Apply(records);
        string text = AccessJsonReport.Render(records, rawNumber: false);

        using var doc = JsonDocument.Parse(text);
        var region = doc.RootElement[0].GetProperty("snapshots")[0].GetProperty("regions")[0];
        // Region fields are always human-formatted by damo, e.g. "4,294,967,296".
        Assert.Contains(",", region.GetProperty("start").GetString());

        var back = RecordFiles.Parse(Encoding.UTF8.GetBytes(text), "report.json");
        Assert.Equal(records.Count, back.Count);
        for (int r = 0; r < records.Count; r++)
        {
            Assert.Equal(records[r].Snapshots.Count, back[r].Snapshots.Count);
            Assert.Equal(records[r].Snapshots[0].Regions.Select(x => (x.Start, x.End, x.NrAccessesSamples)),
                back[r].Snapshots[0].Regions.Select(x => (x.Start, x.End, x.NrAccessesSamples)));
        }
    }

    [Fact]
    public async Task Json_report_through_the_cli_uses_python_layout()
    {
        var result = await DamonCli.Run("report", "access", "--json", "--raw_number", "--input", DamoReportData.Input("damon.data.snapshot.nofilter"));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("[\n    {\n        \"kdamond_idx\": 0,\n        \"context_idx\": 0,\n        \"intervals\": {\n            \"sample_us\": \"5000\",", result.Out);
        Assert.Contains("\"probe_hits\": [],", result.Out);
    }
}
