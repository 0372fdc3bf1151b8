using System.Text;
using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Reports;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// Zero sample/aggregation intervals (accepted by damon_set_attrs): read back, and every division
/// follows damon_nr_samples_per_aggr (a zero sample interval counts as 1 µs, at least 1 sample),
/// with a zero aggregation interval counted as 1 µs.
/// </summary>
public class ZeroIntervalTests
{
    private static string Record(string goal = "", int intervalUs = 0) =>
        $"[{{\"intervals\": {{\"sample_us\": {intervalUs}, \"aggr_us\": {intervalUs}, \"ops_update_us\": 0" + goal + "}, \"snapshots\": ["
        + "{\"start_time\": 0, \"end_time\": 1000, \"regions\": ["
        + "{\"start\": 0, \"end\": 4096, \"nr_accesses\": {\"samples\": 1}, \"age\": {\"aggr_intervals\": 3}},"
        + "{\"start\": 4096, \"end\": 8192, \"nr_accesses\": {\"samples\": 0}, \"age\": {\"aggr_intervals\": 5}}]}]}]";

    private static List<DamonRecord> Parse(string json) => RecordFiles.Parse(Encoding.UTF8.GetBytes(json), "zero.json");

    [Fact]
    public void Samples_per_aggregation_follow_the_kernel_rule()
    {
        Assert.Equal(1, new DamonIntervals(0, 0, 0).SamplesPerAggr);
        Assert.Equal(5000, new DamonIntervals(0, 5000, 0).SamplesPerAggr);
        Assert.Equal(1, new DamonIntervals(10_000, 5000, 0).SamplesPerAggr);
        Assert.Equal(20, new DamonIntervals(5000, 100_000, 0).SamplesPerAggr);
        Assert.Equal(1, new DamonIntervals(0, 0, 0).EffectiveAggrUs);
        Assert.Equal(100_000, new DamonIntervals(5000, 100_000, 0).EffectiveAggrUs);
    }

    [Fact]
    public void Resolve_gives_percent_and_age_from_zero_intervals()
    {
        var region = Parse(Record())[0].Snapshots[0].Regions[0];
        region.Resolve(new DamonIntervals(0, 0, 0));
        Assert.Equal(100, region.NrAccessesPercent);
        Assert.Equal(3, region.AgeUsec);
        var fromUsec = new DamonRegion { Start = 0, End = 4096, NrAccessesPercent = 100, AgeUsec = 7 };
        fromUsec.Resolve(new DamonIntervals(0, 0, 0));
        Assert.Equal(1, fromUsec.NrAccessesSamples);
        Assert.Equal(7, fromUsec.AgeAggrIntervals);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", \"intervals_goal\": {\"access_bp\": 400, \"aggrs\": 3, \"min_sample_us\": 0, \"max_sample_us\": 0}")]
    public void Access_report_shows_one_sample_per_microsecond(string goal)
    {
        string text = AccessReport.Render(Parse(Record(goal)), new AccessReportOptions());
        Assert.Contains("intervals: sample 1 us aggr 1 us (max access hz 1,000,000)\n", text);
        Assert.Contains("0   addr 0 B          size 4.000 KiB   access 1,000,000 hz age 3 us         \n", text);
        Assert.Contains("memory bw estimate: 3.815 GiB per second\n", text);
    }

    /// <summary>A zero interval counts as 1 µs: every report equals the one of 1 µs intervals but for the intervals it prints.</summary>
    [Fact]
    public void Every_report_of_zero_intervals_equals_the_one_of_one_microsecond()
    {
        string[] styles = ["detailed", "simple-boxes", "recency-percentiles", "temperature-percentiles", "recency-sz-hist", "temperature-sz-hist", "hot", "cold"];
        List<Func<List<DamonRecord>, string>> reports =
        [
            r => AccessRawReport.Render(r, rawNumber: true),
            r => WssReport.Render(r, new WssReportOptions { ExcludeSamples = 0 }),
            r => NrRegionsReport.Render(r, (0, 101, 50), sortByTime: true),
            r => HeatmapGuide.Render(r, raw: false),
            r => HeatmapReport.RenderTerminal(r, new HeatmapOptions()),
            r => HeatmapReport.RenderRaw(r, new HeatmapOptions { Resolution = (2, 2) }),
            r => TimesReport.Render(r),
        ];
        foreach (var style in styles)
            reports.Add(r => AccessReport.Render(r, new AccessReportOptions { Style = style })
                .Replace("record DAMON intervals: sample 0 ns, aggr 0 ns", "record DAMON intervals: sample 1 us, aggr 1 us"));
        foreach (var report in reports)
            Assert.Equal(report(Parse(Record(intervalUs: 1))), report(Parse(Record())));
        Assert.Equal("0\t0\t0.0\n0\t2048\t0.0\n3000\t0\t0.0\n3000\t2048\t0.0\n",
            HeatmapReport.RenderRaw(Parse(Record()), new HeatmapOptions { Resolution = (2, 2) }));
    }

    private const string Tune = "kdamond.0 1 [000] 1.000000: damon:damon_monitor_intervals_tune: sample_us={0}\n"
        + "kdamond.0 1 [000] 2.000000: damon:damon_aggregated: target_id=1 nr_regions=1 0-4096: 1 0\n";

    [Fact]
    public void Perf_script_accepts_a_zero_tuned_sample_interval_and_refuses_a_negative_one()
    {
        var records = RecordFiles.Parse(Encoding.UTF8.GetBytes(string.Format(Tune, 0)), "perf.txt");
        Assert.Equal(0, records[0].Snapshots[0].SampleIntervalUs);
        var e = Assert.Throws<RecordFormatException>(() => RecordFiles.Parse(Encoding.UTF8.GetBytes(string.Format(Tune, -1)), "perf.txt"));
        Assert.Equal("perf.txt: at line 1 (byte 0): expected a non-negative sample_us after damon_monitor_intervals_tune, found -1", e.Message);
    }
}
