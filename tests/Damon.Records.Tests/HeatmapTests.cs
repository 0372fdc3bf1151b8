using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml.Linq;
using Damon.Records.Model;
using Damon.Records.Reports;
using Damon.Records.Text;
using Xunit;

namespace Damon.Records.Tests;

public class HeatmapTests
{
    private static DamonRecord ContinuousRecord(long ageOfSecond)
    {
        // Two back-to-back 100 ms snapshots of one 4 KiB region accessed in every sample (200 hz).
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        record.Snapshots.Add(new DamonSnapshot(0, 100_000_000, [new DamonRegion(0, 4096, 20, 0)]));
        record.Snapshots.Add(new DamonSnapshot(100_000_000, 200_000_000, [new DamonRegion(0, 4096, 20, ageOfSecond)]));
        return record;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Age_back_fill_is_clipped_at_the_previous_snapshot_end(long age)
    {
        // damo v3.3.0 would credit the second snapshot's region again for the first 100 ms
        // (age 1 reaches back to 0 ns), averaging 300 hz instead of the 200 hz that happened.
        var map = Heatmap.Build([ContinuousRecord(age)], (0, 200_000_000), (0, 4096), (1, 1), dfPassed: false);
        Assert.Equal(200.0, map.Heats[0, 0], 9);
    }

    [Fact]
    public void Age_back_fills_a_sparse_snapshot_record()
    {
        // Snapshot records (damo record --snapshot) are sparse: age is what tells the earlier time.
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        record.Snapshots.Add(new DamonSnapshot(900_000_000, 1_000_000_000, [new DamonRegion(0, 4096, 20, 9)]));
        var map = Heatmap.Build([record], (0, 1_000_000_000), (0, 4096), (10, 1), dfPassed: false);
        for (int row = 0; row < 10; row++) Assert.Equal(200.0, map.Heats[row, 0], 9);
    }

    [Fact]
    public void Terminal_map_has_one_digit_per_pixel_and_damo_trailer()
    {
        var text = HeatmapReport.RenderTerminal([ContinuousRecord(0)], new HeatmapOptions { Resolution = (4, 8), TimeRangeNs = (0, 200_000_000), AddressRanges = [(0, 4096)] });
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(4 + 4, lines.Length);
        for (int row = 0; row < 4; row++)
            Assert.Equal("00000000", System.Text.RegularExpressions.Regex.Replace(lines[row], "\u001b\\[[0-9;]*m", ""));
        Assert.StartsWith("# access_frequency: ", lines[4]);
        Assert.EndsWith("(200.000-200.000 hz)", lines[4]);
        Assert.Equal("# x-axis: space [0 B, 4.000000 KiB) (4.000 KiB)", lines[5]);
        Assert.Equal("# y-axis: time [0 ns, 200 ms) (200 ms)", lines[6]);
        Assert.Equal("# resolution: 8x4 (512 B and 50 ms for each character)", lines[7]);
    }

    [Fact]
    public void Png_is_valid_with_checked_chunks()
    {
        var map = Heatmap.Build([ContinuousRecord(0)], (0, 200_000_000), (0, 4096), (20, 30), dfPassed: false);
        using var dir = new TempDir();
        var path = dir.File("map.png");
        new HeatmapImage(map, false, false).WritePng(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }, bytes[..8]);
        int offset = 8;
        var chunks = new List<string>();
        byte[] idat = [];
        int width = 0, height = 0;
        while (offset < bytes.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
            var body = bytes.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 8 + length));
            Assert.Equal(Crc32.Compute(bytes.AsSpan(offset + 4, 4 + length)), crc);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
            }
            if (type == "IDAT") idat = body.ToArray();
            chunks.Add(type);
            offset += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks);
        var layout = new HeatmapImage(map, false, false).Layout();
        Assert.Equal((20 * 20, 30 * 13), (layout.PlotW, layout.PlotH));
        Assert.Equal((layout.Width, layout.Height), (width, height));
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress)) z.CopyTo(inflated);
        Assert.Equal(height * (1 + width * 3), inflated.Length);
    }

    [Fact]
    public void Sort_temperature_lays_out_regions_from_coldest_to_hottest()
    {
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        record.Snapshots.Add(new DamonSnapshot(0, 100_000_000, [new DamonRegion(0, 4096, 20, 0), new DamonRegion(4096, 8192, 0, 10)]));
        var options = new HeatmapOptions { Resolution = (1, 2), TimeRangeNs = (0, 100_000_000), AddressRanges = [(0, 8192)] };
        var byAddress = HeatmapReport.Build([record], options, forImage: false)[0].Heatmap;
        Assert.Equal([200.0, 0.0], [byAddress.Heats[0, 0], byAddress.Heats[0, 1]]);
        options.SortTemperature = true;
        var byTemperature = HeatmapReport.Build([record], options, forImage: false)[0].Heatmap;
        Assert.Equal([0.0, 200.0], [byTemperature.Heats[0, 0], byTemperature.Heats[0, 1]]);
        Assert.Equal(0, record.Snapshots[0].Regions[0].Start);
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    [Fact]
    public void Svg_is_well_formed_and_labelled()
    {
        var map = Heatmap.Build([ContinuousRecord(0)], (0, 200_000_000), (0, 4096), (10, 10), dfPassed: false);
        using var dir = new TempDir();
        var path = dir.File("map.svg");
        new HeatmapImage(map, false, false).WriteSvg(path);
        var doc = XDocument.Load(path);
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(svg + "svg", doc.Root!.Name);
        Assert.Contains(doc.Descendants(svg + "text"), t => t.Value == "Access frequency (hz)");
        Assert.True(doc.Descendants(svg + "rect").Count() > 10);
    }

    [Fact]
    public void Palette_runs_from_black_to_yellow()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)0), HeatmapImage.Palette(0));
        Assert.Equal(((byte)255, (byte)255, (byte)0), HeatmapImage.Palette(1));
    }
}
