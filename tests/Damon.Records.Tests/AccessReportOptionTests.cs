using Damon.Records.Model;
using Damon.Records.Reports;
using Damon.Records.Transforms;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Sorting and filtering options of report access, and adjust's aggregation rule, on small hand-made records.</summary>
public class AccessReportOptionTests
{
    private static List<DamonRecord> ThreeRegions()
    {
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        record.Snapshots.Add(new DamonSnapshot(0, 100_000_000,
        [
            new DamonRegion(0x10000, 0x11000, 20, 0),   // 4 KiB, hot
            new DamonRegion(0x11000, 0x14000, 0, 30),   // 12 KiB, idle for 3 s
            new DamonRegion(0x14000, 0x16000, 10, 2),   // 8 KiB, warm
        ]));
        return [record];
    }

    private static List<string> RegionLines(string report) =>
        report.Split('\n').Where(l => l.Contains(" addr ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Regions_sort_by_size_descending()
    {
        var text = AccessReport.Render(ThreeRegions(), new AccessReportOptions { SortRegionsBy = ["size"], SortRegionsDsc = ["size"] });
        var lines = RegionLines(text);
        Assert.Equal(3, lines.Count);
        Assert.Contains("size 12.000 KiB", lines[0]);
        Assert.Contains("size 8.000 KiB", lines[1]);
        Assert.Contains("size 4.000 KiB", lines[2]);
        Assert.StartsWith("0   ", lines[0]);
    }

    [Fact]
    public void Hot_style_lists_the_hottest_region_first_and_cold_the_coldest()
    {
        // Temperature weighs access rate (percent) and age (us) equally, so the warm region that has
        // kept being accessed for 200 ms outranks the hot one accessed only in the last interval.
        var hot = AccessReport.Render(ThreeRegions(), new AccessReportOptions { Style = "hot" }).Split('\n').Where(l => l.Contains("| ") && l.Contains(" access ")).ToList();
        var cold = AccessReport.Render(ThreeRegions(), new AccessReportOptions { Style = "cold" }).Split('\n').Where(l => l.Contains("| ") && l.Contains(" access ")).ToList();
        Assert.Equal(3, hot.Count);
        Assert.Contains("access 100 hz", hot[0]);
        Assert.Contains("access 200 hz", hot[1]);
        Assert.Contains("access 0 hz", cold[0]);
    }

    [Fact]
    public void Access_rate_filter_drops_idle_regions_but_keeps_the_recorded_total()
    {
        var records = ThreeRegions();
        records[0].Snapshots[0].TotalBytes = records[0].Snapshots[0].RegionsSz;
        new RecordFilter { AccessRatePercent = (1, 100) }.Apply(records);
        var text = AccessReport.Render(records, new AccessReportOptions());
        Assert.Equal(2, RegionLines(text).Count);
        Assert.Contains("total size: 24.000 KiB", text);
    }

    [Fact]
    public void Address_filter_clips_regions_and_recomputes_the_total()
    {
        var records = ThreeRegions();
        records[0].Snapshots[0].TotalBytes = records[0].Snapshots[0].RegionsSz;
        new RecordFilter { AddressRanges = [(0x10800, 0x12000)] }.Apply(records);
        var raw = AccessRawReport.Render(records, rawNumber: false);
        Assert.Contains("000000010800-000000011000 (   2.000 KiB)          20     0", raw);
        Assert.Contains("000000011000-000000012000 (   4.000 KiB)           0    30", raw);
        Assert.Equal(6144, records[0].Snapshots[0].TotalSz);
    }

    [Fact]
    public void Snapshot_and_temperature_filters_keep_what_is_asked()
    {
        var records = ThreeRegions();
        records[0].Snapshots.Add(new DamonSnapshot(100_000_000, 200_000_000, [new DamonRegion(0x10000, 0x12000, 1, 0)]));
        var bySize = ThreeRegionsPlus(records);
        new RecordFilter { SnapshotSzRanges = [(16384, 65536)] }.Apply(bySize);
        Assert.Equal(0, Assert.Single(bySize[0].Snapshots).StartTimeNs);

        var byTime = ThreeRegionsPlus(records);
        new RecordFilter { SnapshotTimeRanges = [(50_000_000, 300_000_000)] }.Apply(byTime);
        Assert.Equal(100_000_000, Assert.Single(byTime[0].Snapshots).StartTimeNs);

        // Temperatures: hot 100 % x 100 = 10,000; warm 50 % x 100 + 200,000 us x 100 = 20,005,000; idle -300,000,000.
        var byTemperature = ThreeRegionsPlus(records);
        new RecordFilter { TemperatureRanges = [(0, 20_000_000)] }.Apply(byTemperature);
        var kept = byTemperature[0].Snapshots[0].Regions;
        Assert.Equal(0x10000, Assert.Single(kept).Start);
        Assert.Equal(4096, byTemperature[0].Snapshots[0].TotalSz);
    }

    private static List<DamonRecord> ThreeRegionsPlus(List<DamonRecord> records) => records.ConvertAll(r => r.Clone());

    [Fact]
    public void Recency_percentiles_follow_idle_time_per_byte()
    {
        var text = AccessReport.Render(ThreeRegions(), new AccessReportOptions { Style = "recency-percentiles", PercentilesRange = [0, 101, 50] });
        var lines = text.Split('\n');
        Assert.Equal("# total recency percentiles", lines[0]);
        Assert.Equal("<percentile> <idle time>", lines[1]);
        // Half the bytes (the hot and warm 12 KiB of 24 KiB) were accessed: idle 0; the rest idle 3 s + one interval.
        Assert.Equal("  0     0 ns  |                    |", lines[2]);
        Assert.Equal(" 50     0 ns  |                    |", lines[3]);
        Assert.Equal("100  3.100 s  |********************|", lines[4]);
    }

    [Fact]
    public void Format_set_and_append_customize_the_templates_with_damo_padding()
    {
        var text = AccessReport.Render(ThreeRegions(), new AccessReportOptions
        {
            Formats = [("set", "snapshot_head", ""), ("set", "region", "<index> <start address> <size>"), ("append", "region", "!"),
                       ("set", "snapshot_tail", "<number of regions> regions"), ("set", "record_tail", "")],
        });
        // <index> pads to 3 characters, <start address> to 12, <size> to 11.
        Assert.Equal("0   64.000 KiB   4.000 KiB  !\n1   68.000 KiB   12.000 KiB !\n2   80.000 KiB   8.000 KiB  !\n3 regions\n", text);
    }

    [Fact]
    public void Format_with_an_unknown_area_is_refused()
    {
        var e = Assert.Throws<ReportException>(() =>
            AccessReport.Render(ThreeRegions(), new AccessReportOptions { Formats = [("set", "footer", "x")] }));
        Assert.Contains("footer", e.Message);
    }

    [Fact]
    public void Adjust_adds_the_largest_overlapping_access_count_per_snapshot()
    {
        // damo's own example: 1-10 with 5 accesses, then 1-5 with 2 and 5-10 with 4, aggregates to 1-10 with 9.
        var merged = RecordAdjuster.Aggregate(
        [
            new DamonSnapshot(0, 10, [new DamonRegion(1, 10, 5, 0)]),
            new DamonSnapshot(10, 20, [new DamonRegion(1, 5, 2, 0), new DamonRegion(5, 10, 4, 0)]),
            new DamonSnapshot(20, 30, [new DamonRegion(0, 12, 1, 0)]),
        ]);
        Assert.Equal([(1L, 10L, 10L), (0L, 1L, 1L), (10L, 12L, 1L)],
            merged.Regions.Select(r => (r.Start, r.End, r.NrAccessesSamples ?? -1)).ToList());
        Assert.Equal(0, merged.StartTimeNs);
        Assert.Equal(30, merged.EndTimeNs);
    }

    [Fact]
    public void Adjust_groups_snapshots_per_interval_and_drops_the_short_tail()
    {
        var record = new DamonRecord { TargetId = 1 };
        for (int i = 0; i < 25; i++)
            record.Snapshots.Add(new DamonSnapshot(i * 100_000_000L, (i + 1) * 100_000_000L, [new DamonRegion(0, 4096, 1, 0)]));
        var adjusted = RecordAdjuster.Adjust([record], aggregateIntervalUs: 1_000_000, nrSnapshotsToSkip: 3);
        // 22 snapshots left: two full seconds, two leftover snapshots dropped.
        Assert.Equal(2, adjusted[0].Snapshots.Count);
        Assert.Equal(10, adjusted[0].Snapshots[0].Regions[0].NrAccessesSamples);
        Assert.Equal(25, record.Snapshots.Count);
    }
}
