using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml.Linq;
using Damon.Records.Model;
using Damon.Records.Reports;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>Heatmap images: tick labels in human units, the PNG's axes, colour bar and no-data legend.</summary>
public class HeatmapImageTests
{
    private static List<string> Labels(List<HeatmapAxes.Tick> ticks) => ticks.ConvertAll(t => t.Label);

    [Fact]
    public void Time_ticks_are_seconds_on_the_coarsest_1_2_5_step_giving_four()
    {
        // damon.data's 56.797 s span: 20 s steps give 3 ticks, so 10 s.
        Assert.Equal(["0 s", "10 s", "20 s", "30 s", "40 s", "50 s"], Labels(HeatmapAxes.TimeTicks(0, 56_797_185_000)));
        Assert.Equal(["0.00 s", "0.05 s", "0.10 s", "0.15 s", "0.20 s"], Labels(HeatmapAxes.TimeTicks(0, 200_000_000)));
        // Absolute time starts at the first multiple of the step inside the axis.
        Assert.Equal(["540 s", "550 s", "560 s", "570 s", "580 s", "590 s"], Labels(HeatmapAxes.TimeTicks(539_809_434_000, 56_797_185_000)));
        var fractions = HeatmapAxes.TimeTicks(0, 200_000_000).ConvertAll(t => t.Fraction);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], fractions);
    }

    [Fact]
    public void Address_ticks_are_binary_offsets_or_hex_on_a_power_of_two_step()
    {
        long start = 0x7f9381923000;
        Assert.Equal(["+0 B", "+64 MiB", "+128 MiB", "+192 MiB"], Labels(HeatmapAxes.AddrTicks(start, 206_412_800, absolute: false)));
        Assert.Equal(["0x7f9382000000", "0x7f9384000000", "0x7f9386000000", "0x7f9388000000", "0x7f938a000000", "0x7f938c000000"],
            Labels(HeatmapAxes.AddrTicks(start, 206_412_800, absolute: true)));
        Assert.Equal(["+0 B", "+1 KiB", "+2 KiB", "+3 KiB", "+4 KiB"], Labels(HeatmapAxes.AddrTicks(0, 4096, absolute: false)));
        Assert.Equal(["+0 B", "+1 GiB", "+2 GiB", "+3 GiB", "+4 GiB"], Labels(HeatmapAxes.AddrTicks(1L << 40, 4L << 30, absolute: false)));
        Assert.Equal("1.5 GiB", HeatmapAxes.BinarySize(1.5 * (1 << 30)));
        Assert.Equal("768 MiB", HeatmapAxes.BinarySize(768L << 20));
    }

    [Fact]
    public void Every_axis_of_a_tiny_or_huge_span_still_gets_four_ticks()
    {
        Assert.Equal(4, HeatmapAxes.TimeTicks(0, 3).Count);
        Assert.True(HeatmapAxes.AddrTicks(0, long.MaxValue / 2, absolute: false).Count >= 4);
        Assert.True(HeatmapAxes.AddrTicks(0, 3, absolute: false).Count >= 4);
        Assert.True(HeatmapAxes.TimeTicks(0, 9e18).Count >= 4);
    }

    [Fact]
    public void Font_covers_every_character_the_labels_use()
    {
        var map = HalfObservedMap();
        var image = new HeatmapImage(map, absTime: false, absAddr: false);
        var texts = new List<string> { image.TimeTitle, image.AddrTitle, image.ColorBarTitle, HeatmapImage.NoDataLegend,
            new HeatmapImage(map, true, true, sizeAxis: true).AddrTitle };
        texts.AddRange(Labels(image.TimeTicks()));
        texts.AddRange(Labels(image.AddrTicks()));
        texts.AddRange(Labels(new HeatmapImage(map, true, true).AddrTicks()));
        texts.AddRange(Labels(image.ColorBarTickLabels()));
        foreach (var text in texts)
            foreach (var ch in text)
                Assert.True(BitmapFont.HasGlyph(ch), $"no glyph for '{ch}' in \"{text}\"");
    }

    /// <summary>A 4 KiB region accessed at 200 hz for the first 100 ms of a 200 ms, 8 KiB map: the other half holds no data.</summary>
    private static Heatmap HalfObservedMap()
    {
        var record = new DamonRecord { TargetId = 1, Intervals = new DamonIntervals(5000, 100000, 1000000) };
        record.Snapshots.Add(new DamonSnapshot(0, 100_000_000, [new DamonRegion(0, 4096, 20, 0), new DamonRegion(4096, 8192, 0, 0)]));
        return Heatmap.Build([record], (0, 200_000_000), (0, 8192), (4, 4), dfPassed: false);
    }

    [Fact]
    public void Png_pixels_carry_the_map_colour_bar_and_no_data_legend()
    {
        var image = new HeatmapImage(HalfObservedMap(), false, false);
        using var dir = new TempDir();
        string path = dir.File("map.png");
        image.WritePng(path);
        var (width, height, rgb) = Decode(File.ReadAllBytes(path));
        var l = image.Layout();
        Assert.Equal((l.Width, l.Height), (width, height));
        Assert.Equal((400, 400), (l.PlotW, l.PlotH));
        (byte, byte, byte) At(int x, int y) => (rgb[(y * width + x) * 3], rgb[(y * width + x) * 3 + 1], rgb[(y * width + x) * 3 + 2]);
        // Time rows 0-1 observed: low addresses hot (yellow, drawn at the bottom), high cold (black).
        Assert.Equal(((byte)255, (byte)255, (byte)0), At(l.PlotX + 50, l.PlotY + 350));
        Assert.Equal(((byte)0, (byte)0, (byte)0), At(l.PlotX + 50, l.PlotY + 50));
        // Rows 2-3 were never observed: white, as the legend swatch.
        Assert.Equal(((byte)255, (byte)255, (byte)255), At(l.PlotX + 350, l.PlotY + 200));
        Assert.Equal(((byte)255, (byte)255, (byte)255), At(l.LegendX + 5, l.LegendY + 5));
        Assert.Equal(((byte)0, (byte)0, (byte)0), At(l.LegendX - 1, l.LegendY + 5));
        // Colour bar: yellow at the top, black at the bottom.
        Assert.Equal(((byte)255, (byte)255, (byte)0), At(l.BarX + 10, l.PlotY));
        Assert.Equal(((byte)0, (byte)0, (byte)0), At(l.BarX + 10, l.PlotY + l.PlotH - 1));
        // The legend's text is drawn: its row right of the swatch has ink.
        int ink = 0;
        for (int x = l.LegendX + 20; x < l.LegendX + 20 + BitmapFont.Width(HeatmapImage.NoDataLegend, HeatmapImage.TextScale); x++)
            for (int y = l.LegendY; y < l.LegendY + BitmapFont.Height(HeatmapImage.TextScale); y++)
                if (At(x, y) == (0, 0, 0)) ink++;
        Assert.True(ink > 200, $"legend text has {ink} ink pixels");
    }

    [Fact]
    public void Png_is_deterministic()
    {
        var image = new HeatmapImage(HalfObservedMap(), false, false);
        using var dir = new TempDir();
        image.WritePng(dir.File("a.png"));
        new HeatmapImage(HalfObservedMap(), false, false).WritePng(dir.File("b.png"));
        Assert.Equal(File.ReadAllBytes(dir.File("a.png")), File.ReadAllBytes(dir.File("b.png")));
    }

    [Fact]
    public void Svg_has_the_same_ticks_titles_and_legend()
    {
        var image = new HeatmapImage(HalfObservedMap(), false, false);
        var doc = XDocument.Parse(image.Svg());
        XNamespace svg = "http://www.w3.org/2000/svg";
        var texts = doc.Descendants(svg + "text").Select(t => t.Value).ToList();
        foreach (var label in new[] { "0.00 s", "0.05 s", "0.10 s", "0.15 s", "0.20 s", "+0 B", "+2 KiB", "+4 KiB", "+6 KiB", "+8 KiB",
                     "0.000", "100.000", "200.000", "Time (s)", "Address offset from 0x0", "Access frequency (hz)", HeatmapImage.NoDataLegend })
            Assert.Contains(label, texts);
    }

    [Fact]
    public void Damo_record_picture_is_pinned_by_its_pixels()
    {
        // The default 500x500 PNG of damo's test record, hashed over its pixels (not the zlib
        // stream, which may change with the runtime's compressor). The picture was checked by eye.
        var records = Damon.Records.IO.RecordFiles.Read(DamoReportData.Input("damon.data"));
        var map = HeatmapReport.Build(records, new HeatmapOptions(), forImage: true)[0].Heatmap;
        var canvas = new HeatmapImage(map, false, false).Draw();
        Assert.Equal((782, 594), (canvas.Width, canvas.Height));
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(canvas.Scanlines()));
        Assert.Equal("6f75e4ba67c600692048bc9f2a0b5aba29786d8c1884ece2ff5e1fe477b1516d", hash);
    }

    private static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        int offset = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset + 8));
                height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset + 12));
            }
            if (type == "IDAT") idat.Write(png, offset + 8, length);
            offset += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (1 + width * 3)]);
            Buffer.BlockCopy(raw, y * (1 + width * 3) + 1, rgb, y * width * 3, width * 3);
        }
        return (width, height, rgb);
    }
}
