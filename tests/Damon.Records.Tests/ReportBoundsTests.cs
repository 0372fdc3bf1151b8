using Damon.Records.Model;
using Damon.Records.Reports;
using Damon.Tests;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// Reports take time proportional to the picture and the record, never to a region's address
/// span or age: each record here would loop for hours (or exhaust memory) if a report walked
/// addresses, time steps or option-sized lists one by one.
/// </summary>
public class ReportBoundsTests
{
    private const long Huge = 1L << 62;

    /// <summary>One 100 ms snapshot (aggregation 100 ms) of a region 0..2^62, accessed in every sample.</summary>
    private static DamonRecord HugeRegionRecord(long ageAggrIntervals)
    {
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        record.Snapshots.Add(new DamonSnapshot(0, 100_000_000, [new DamonRegion(0, Huge, 20, ageAggrIntervals)]));
        return record;
    }

    [Fact]
    public void Heatmap_clamps_a_region_far_wider_and_older_than_the_drawn_range()
    {
        // Without clamping, rows run from int.MinValue (an age of 10^17 ns) and columns to int.MaxValue (the span).
        var map = Heatmap.Build([HugeRegionRecord(1_000_000_000)], (0, 100_000_000), (0, 4096), (2, 2), dfPassed: false);
        for (int row = 0; row < 2; row++)
            for (int col = 0; col < 2; col++)
                Assert.Equal(200.0, map.Heats[row, col]);
    }

    [Fact]
    public void Heatmap_raw_output_of_a_clamped_region_is_exact()
    {
        var o = new HeatmapOptions { Resolution = (2, 2), TimeRangeNs = (0, 100_000_000), AddressRanges = [(0, 4096)] };
        Assert.Equal("0\t0\t200.0\n0\t2048\t200.0\n50000000\t0\t200.0\n50000000\t2048\t200.0\n",
            HeatmapReport.RenderRaw([HugeRegionRecord(1_000_000_000)], o));
    }

    [Fact]
    public void Heatmap_age_too_large_for_nanoseconds_saturates_instead_of_wrapping()
    {
        // 2^40 intervals of 100 ms is 1.1e20 ns: multiplied in 64 bits it wraps to a time in the future.
        var map = Heatmap.Build([HugeRegionRecord(1L << 40)], (0, 100_000_000), (0, 4096), (2, 2), dfPassed: false);
        for (int row = 0; row < 2; row++)
            for (int col = 0; col < 2; col++)
                Assert.Equal(200.0, map.Heats[row, col]);
    }

    [Fact]
    public void Heatmap_refuses_a_resolution_too_large_to_allocate()
    {
        var e = Assert.Throws<ReportException>(() =>
            Heatmap.Build([HugeRegionRecord(0)], (0, 100_000_000), (0, Huge), (100_000, 100_000), dfPassed: false));
        Assert.Equal("heatmap resolution 100000x100000 is over 4194304 pixels", e.Message);
    }

    [Fact]
    public void Snapshot_heatmap_line_stops_where_columns_fall_below_double_precision()
    {
        // 1408-byte columns near 2^62, where a double's step is 1024 bytes: the column after the
        // gap starts inside the second region, start + column rounds back to start, and damo's
        // walk never advances (found by a seeded search over damo's loop).
        var regions = new List<DamonRegion> { new(0, 8192, 20, 0), new(4611686018467350528, 4611686018467454976, 20, 0) };
        foreach (var r in regions) r.Resolve(new DamonIntervals(5000, 100000, 1000000));
        string line = SnapshotHeatmapLine.Render(regions, new AccessReportOptions());
        string digits = System.Text.RegularExpressions.Regex.Replace(line.Split('\n')[0], "\u001b\\[[0-9;]*m", "");
        Assert.Equal("999990[...]", digits);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(0)] // damo's "address 0 is unset" quirk leaves the first guide range inverted
    public void Heatmap_guide_of_many_scattered_regions_is_linear(long firstStart)
    {
        // 100,000 regions with a gap after each, in 3 snapshots: gaps x gaps and regions x ranges
        // would be 10^10 steps each.
        const int n = 100_000;
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        for (int s = 0; s < 3; s++)
        {
            var regions = new List<DamonRegion>(n);
            for (int k = 0; k < n; k++) regions.Add(new DamonRegion(firstStart + k * 8192L, firstStart + k * 8192L + 4096, k % 2, 0));
            record.Snapshots.Add(new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L, regions));
        }
        var guide = HeatmapGuide.Build([record])[0];
        Assert.Equal(n, guide.ContigRegions.Count);
        var second = guide.ContigRegions[1];
        Assert.Equal((firstStart + 8192, firstStart + 8192 + 4096), (second.StartAddr, second.EndAddr));
        // Region 1 (one access, 4 KiB) in each of the 3 snapshots.
        Assert.Equal(3 * 4096.0, second.Heats);
        Assert.Null(guide.ContigRegions[2].Heats);
    }

    [Fact]
    public void Snapshot_heatmap_line_of_many_far_apart_regions_is_linear()
    {
        // 100,000 4 KiB regions 1 GiB apart: every gap is a void column, so scanning every region
        // for every column would be 10^10 steps.
        const int n = 100_000;
        var intervals = new DamonIntervals(5000, 100000, 1000000);
        var regions = new List<DamonRegion>(n);
        for (int k = 0; k < n; k++)
        {
            var r = new DamonRegion(k * (1L << 30), k * (1L << 30) + 4096, 20, 0);
            r.Resolve(intervals);
            regions.Add(r);
        }
        string line = SnapshotHeatmapLine.Render(regions, new AccessReportOptions());
        string digits = System.Text.RegularExpressions.Regex.Replace(line.Split('\n')[0], "\u001b\\[[0-9;]*m", "");
        Assert.Equal(string.Join("[...]", Enumerable.Repeat("0", n)), digits);
    }

    [Fact]
    public void Wss_of_snapshots_with_many_regions_is_linear()
    {
        // Re-aggregating each snapshot on its own compared every region with every earlier one:
        // 100,000 regions a snapshot made that 5 x 10^9 steps each.
        const int n = 100_000;
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        for (int s = 0; s < 3; s++)
        {
            var regions = new List<DamonRegion>(n);
            for (int k = 0; k < n; k++) regions.Add(new DamonRegion(k * 8192L, k * 8192L + 4096, (k + s) % 2, 0));
            record.Snapshots.Add(new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L, regions));
        }
        var dist = WssReport.Distributions([record], new WssReportOptions { ExcludeSamples = 0 });
        Assert.Equal([n / 2 * 4096L, n / 2 * 4096L, n / 2 * 4096L], dist[0].Dist);
    }

    [Fact]
    public void Wss_percentile_range_of_billions_fails_at_the_first_impossible_percentile()
    {
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        for (int i = 0; i < 5; i++)
            record.Snapshots.Add(new DamonSnapshot(i * 100_000_000L, (i + 1) * 100_000_000L, [new DamonRegion(0, 4096, 1, 0)]));
        var o = new WssReportOptions { ExcludeSamples = 0, Range = (0, int.MaxValue, 1) };
        var e = Assert.Throws<ReportException>(() => WssReport.Render([record], o));
        // With 5 values, percentiles up to 119 still index the last one (int(1.19 * 5) == 5 -> 4).
        Assert.Equal("percentile 120 is outside 0-100", e.Message);
    }

    [Theory]
    [InlineData(new[] { "report", "heatmap", "--resol", "100000", "100000" }, "damon: --resol 100000 100000: at most 4194304 pixels (e.g. 2048 2048)\n")]
    [InlineData(new[] { "report", "heatmap", "--resol", "0", "10" }, "damon: --resol 0: out of range (1 to 100000)\n")]
    [InlineData(new[] { "report", "heatmap", "--resol", "2048", "2048", "--output", "x.svg" }, "damon: --resol 2048 2048: an SVG holds at most 1048576 pixels (e.g. 1024 1024); use .png\n")]
    [InlineData(new[] { "report", "access", "--snapshot_heatmap_width", "100000000" }, "damon: --snapshot_heatmap_width 100000000: out of range (1 to 10000)\n")]
    [InlineData(new[] { "report", "access", "--percentiles_range", "0", "2000000000", "1" }, "damon: --percentiles_range 0 2000000000 1: percentiles must be within 0-100\n")]
    [InlineData(new[] { "report", "wss", "--nr_cols_bar", "2000000000" }, "damon: --nr_cols_bar 2000000000: out of range (0 to 1000)\n")]
    public async Task Oversized_picture_options_are_usage_errors_before_the_record_is_read(string[] args, string expectedErr)
    {
        // The input does not exist: the option is rejected first, with exit 2.
        var result = await DamonCli.Run([.. args, "--input", "/nonexistent/damon.data"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expectedErr, result.Err);
        Assert.Equal("", result.Out);
    }
}
