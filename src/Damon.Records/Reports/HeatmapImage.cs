using System.Globalization;
using System.Text;
using Damon.Records.IO;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// Draws a <see cref="Heatmap"/> as an image the way damo's gnuplot plot reads: time on the x axis
/// (left to right), address on the y axis (growing upwards), colour from gnuplot's default
/// palette (black, blue, red, yellow), white where nothing was observed. PNG and SVG carry the
/// same axes (ticks in seconds and in hex or binary-unit offsets), titles, colour bar and a
/// legend entry for the white "no data" pixels. Both are written by this code (no plotting or
/// font library; the PNG's text is <see cref="BitmapFont"/>) and atomically.
/// </summary>
public sealed class HeatmapImage(Heatmap map, bool absTime, bool absAddr, bool sizeAxis = false)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly (byte R, byte G, byte B) White = (255, 255, 255), Black = (0, 0, 0);

    /// <summary>The legend entry for pixels no region of the record covered.</summary>
    public const string NoDataLegend = "no data (not monitored)";
    public const int ColorBarTicks = 5;
    /// <summary>Text is drawn at twice the font's pixel size so it reads at 1:1 zoom.</summary>
    public const int TextScale = 2;

    /// <summary>gnuplot's default "rgbformulae 7,5,15" palette for a value in [0, 1].</summary>
    public static (byte R, byte G, byte B) Palette(double x)
    {
        x = Math.Clamp(x, 0, 1);
        static byte C(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return (C(Math.Sqrt(x)), C(x * x * x), C(Math.Sin(2 * Math.PI * x)));
    }

    /// <summary>Image pixels per heatmap pixel along time and address: each axis is drawn about 400 pixels long, like damo's fixed-size plot.</summary>
    public int ScaleX => Math.Max(1, 400 / map.TimeResolution);
    public int ScaleY => Math.Max(1, 400 / map.AddrResolution);

    public List<HeatmapAxes.Tick> TimeTicks() =>
        HeatmapAxes.TimeTicks(absTime ? map.TimeStartNs.AsDouble : 0, (map.TimeUnitNs * map.TimeResolution).AsDouble);

    public List<HeatmapAxes.Tick> AddrTicks() => HeatmapAxes.AddrTicks(map.AddrStart, map.AddrUnit * map.AddrResolution, absAddr);

    public List<HeatmapAxes.Tick> ColorBarTickLabels()
    {
        var (lowest, highest) = Range();
        return HeatmapAxes.LinearTicks(lowest, highest, ColorBarTicks, v => PyFormat.F(v, 3));
    }

    public string TimeTitle => absTime ? "Time (s, absolute)" : "Time (s)";
    public string AddrTitle => sizeAxis ? "Size (coldest to hottest)" : absAddr ? "Address" : "Address offset from 0x" + map.AddrStart.ToString("x", Inv);
    public string ColorBarTitle => $"Access frequency ({map.HeatUnit})";

    private (double Lowest, double Highest) Range()
    {
        var extremes = map.HighestLowest();
        return extremes is var (highest, lowest) ? (lowest, highest) : (0, 0);
    }

    private (byte R, byte G, byte B) ColorAt(int row, int col, double lowest, double highest)
    {
        double heat = map.Heats[row, col];
        if (double.IsNaN(heat)) return White;
        double x = highest > lowest ? (heat - lowest) / (highest - lowest) : 0;
        return Palette(x);
    }

    /// <summary>Where the PNG's parts are, in image pixels; the plot area is PlotW x PlotH at (PlotX, PlotY).</summary>
    public sealed record PngLayout(int Width, int Height, int PlotX, int PlotY, int PlotW, int PlotH, int BarX, int BarW, int LegendX, int LegendY);

    private const int Margin = 10, TickLen = 5, Gap = 4, BarGap = 20, BarWidth = 20;
    private static int TextH => BitmapFont.Height(TextScale);
    private static int TextW(string s) => BitmapFont.Width(s, TextScale);

    public PngLayout Layout()
    {
        int plotW = map.TimeResolution * ScaleX, plotH = map.AddrResolution * ScaleY;
        int addrLabelW = AddrTicks().Max(t => TextW(t.Label));
        int barLabelW = ColorBarTickLabels().Max(t => TextW(t.Label));
        int plotX = Margin + TextH + 2 * Gap + addrLabelW + TickLen;
        int plotY = Margin + TextH / 2;
        int barX = plotX + plotW + BarGap;
        int barTitleX = barX + BarWidth + TickLen + Gap + barLabelW + 2 * Gap;
        int legendY = plotY + plotH + TickLen + Gap + TextH + 2 * Gap + TextH + 2 * Gap;
        int width = Math.Max(barTitleX + TextH + Margin, plotX + TextW(TimeTitle) + Margin);
        int height = Math.Max(legendY + TextH + Margin, plotY + Math.Max(TextW(AddrTitle), TextW(ColorBarTitle)) + Margin);
        return new PngLayout(width, height, plotX, plotY, plotW, plotH, barX, BarWidth, plotX, legendY);
    }

    public void WritePng(string path)
    {
        var canvas = Draw();
        AtomicFile.Write(path, stream => Png.Write(stream, canvas.Width, canvas.Height, canvas.Scanlines()));
    }

    public RgbCanvas Draw()
    {
        var (lowest, highest) = Range();
        var l = Layout();
        var c = new RgbCanvas(l.Width, l.Height, White);
        int sx = ScaleX, sy = ScaleY;
        for (int row = 0; row < map.TimeResolution; row++)
            for (int col = 0; col < map.AddrResolution; col++)
                c.Fill(l.PlotX + row * sx, l.PlotY + (map.AddrResolution - 1 - col) * sy, sx, sy, ColorAt(row, col, lowest, highest));
        c.Outline(l.PlotX, l.PlotY, l.PlotW, l.PlotH, Black);

        int labelY = l.PlotY + l.PlotH + TickLen + Gap;
        foreach (var t in TimeTicks())
        {
            int x = l.PlotX + (int)Math.Round(t.Fraction * (l.PlotW - 1));
            c.Fill(x, l.PlotY + l.PlotH, 1, TickLen, Black);
            int w = TextW(t.Label);
            c.Text(Math.Clamp(x - w / 2, 0, l.Width - w), labelY, t.Label, TextScale, Black);
        }
        c.Text(l.PlotX + (l.PlotW - TextW(TimeTitle)) / 2, labelY + TextH + 2 * Gap, TimeTitle, TextScale, Black);

        foreach (var t in AddrTicks())
        {
            int y = l.PlotY + l.PlotH - 1 - (int)Math.Round(t.Fraction * (l.PlotH - 1));
            c.Fill(l.PlotX - 1 - TickLen, y, TickLen, 1, Black);
            int w = TextW(t.Label);
            c.Text(l.PlotX - 1 - TickLen - Gap - w, Math.Clamp(y - TextH / 2, 0, l.Height - TextH), t.Label, TextScale, Black);
        }
        c.TextUp(Margin, l.PlotY + (l.PlotH + TextW(AddrTitle)) / 2, AddrTitle, TextScale, Black);

        for (int y = 0; y < l.PlotH; y++)
            c.Fill(l.BarX, l.PlotY + y, l.BarW, 1, Palette(l.PlotH > 1 ? 1 - (double)y / (l.PlotH - 1) : 1));
        c.Outline(l.BarX, l.PlotY, l.BarW, l.PlotH, Black);
        int barLabelX = l.BarX + l.BarW + TickLen + Gap;
        int barLabelW = 0;
        foreach (var t in ColorBarTickLabels())
        {
            int y = l.PlotY + l.PlotH - 1 - (int)Math.Round(t.Fraction * (l.PlotH - 1));
            c.Fill(l.BarX + l.BarW + 1, y, TickLen, 1, Black);
            c.Text(barLabelX, Math.Clamp(y - TextH / 2, 0, l.Height - TextH), t.Label, TextScale, Black);
            barLabelW = Math.Max(barLabelW, TextW(t.Label));
        }
        int barTitleX = barLabelX + barLabelW + 2 * Gap;
        c.TextUp(barTitleX, l.PlotY + (l.PlotH + TextW(ColorBarTitle)) / 2, ColorBarTitle, TextScale, Black);

        // The swatch is drawn like a no-data pixel (white) inside the same outline as the plot.
        c.Fill(l.LegendX, l.LegendY, TextH, TextH, White);
        c.Outline(l.LegendX, l.LegendY, TextH, TextH, Black);
        c.Text(l.LegendX + TextH + 2 * Gap, l.LegendY, NoDataLegend, TextScale, Black);
        return c;
    }

    public void WriteSvg(string path)
    {
        var bytes = new UTF8Encoding(false).GetBytes(Svg());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Largest SVG drawn (1024 x 1024): a rect per run of pixels makes bigger maps hundreds of MB of text.</summary>
    public const long MaxSvgPixels = 1L << 20;

    public string Svg()
    {
        if ((long)map.TimeResolution * map.AddrResolution > MaxSvgPixels)
            throw new ReportException($"an SVG heatmap of {map.TimeResolution}x{map.AddrResolution} pixels is over {MaxSvgPixels}; use .png or a smaller --resol");
        var (lowest, highest) = Range();
        int sx = ScaleX, sy = ScaleY;
        int plotW = map.TimeResolution * sx, plotH = map.AddrResolution * sy;
        var timeTicks = TimeTicks();
        var addrTicks = AddrTicks();
        var barTicks = ColorBarTickLabels();
        // About 7 px a character at font-size 12 leaves room for the longest address label.
        int left = 40 + 7 * addrTicks.Max(t => t.Label.Length);
        int barLabelW = 7 * barTicks.Max(t => t.Label.Length);
        const int top = 20, bottom = 80, barGap = 20, barW = 20;
        int right = 30 + barLabelW + 30;
        int width = left + plotW + barGap + barW + right, height = top + plotH + bottom;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(Inv, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(Inv, $"<g transform=\"translate({left},{top})\" shape-rendering=\"crispEdges\">\n");
        // One rect per vertical run of equal colour keeps 500x500 maps at a reasonable size.
        for (int row = 0; row < map.TimeResolution; row++)
        {
            int y = 0;
            while (y < map.AddrResolution)
            {
                int col = map.AddrResolution - 1 - y;
                var color = ColorAt(row, col, lowest, highest);
                int run = 1;
                while (y + run < map.AddrResolution && ColorAt(row, map.AddrResolution - 1 - (y + run), lowest, highest) == color) run++;
                if (color != White)
                    sb.Append(Inv, $"<rect x=\"{row * sx}\" y=\"{y * sy}\" width=\"{sx}\" height=\"{run * sy}\" fill=\"#{color.R:x2}{color.G:x2}{color.B:x2}\"/>\n");
                y += run;
            }
        }
        sb.Append("</g>\n");
        sb.Append(Inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"black\"/>\n");

        foreach (var t in timeTicks)
        {
            double x = left + t.Fraction * plotW;
            sb.Append(Inv, $"<line x1=\"{x:0.##}\" y1=\"{top + plotH}\" x2=\"{x:0.##}\" y2=\"{top + plotH + 5}\" stroke=\"black\"/>\n");
            sb.Append(Inv, $"<text x=\"{x:0.##}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{t.Label}</text>\n");
        }
        sb.Append(Inv, $"<text x=\"{left + plotW / 2}\" y=\"{top + plotH + 38}\" text-anchor=\"middle\">{TimeTitle}</text>\n");
        foreach (var t in addrTicks)
        {
            double y = top + plotH - t.Fraction * plotH;
            sb.Append(Inv, $"<line x1=\"{left - 5}\" y1=\"{y:0.##}\" x2=\"{left}\" y2=\"{y:0.##}\" stroke=\"black\"/>\n");
            sb.Append(Inv, $"<text x=\"{left - 8}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{t.Label}</text>\n");
        }
        sb.Append(Inv, $"<text transform=\"translate(16,{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{AddrTitle}</text>\n");

        int barX = left + plotW + barGap;
        const int steps = 64;
        for (int i = 0; i < steps; i++)
        {
            var (r, g, b) = Palette(1 - (i + 0.5) / steps);
            double y0 = top + (double)plotH * i / steps;
            sb.Append(Inv, $"<rect x=\"{barX}\" y=\"{y0:0.##}\" width=\"{barW}\" height=\"{(double)plotH / steps + 0.5:0.##}\" fill=\"#{r:x2}{g:x2}{b:x2}\"/>\n");
        }
        sb.Append(Inv, $"<rect x=\"{barX}\" y=\"{top}\" width=\"{barW}\" height=\"{plotH}\" fill=\"none\" stroke=\"black\"/>\n");
        foreach (var t in barTicks)
        {
            double y = top + plotH - t.Fraction * plotH;
            sb.Append(Inv, $"<line x1=\"{barX + barW}\" y1=\"{y:0.##}\" x2=\"{barX + barW + 5}\" y2=\"{y:0.##}\" stroke=\"black\"/>\n");
            sb.Append(Inv, $"<text x=\"{barX + barW + 8}\" y=\"{y + 4:0.##}\">{t.Label}</text>\n");
        }
        sb.Append(Inv, $"<text transform=\"translate({barX + barW + 8 + barLabelW + 20},{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{ColorBarTitle}</text>\n");
        int legendY = top + plotH + 52;
        sb.Append(Inv, $"<rect x=\"{left}\" y=\"{legendY}\" width=\"14\" height=\"14\" fill=\"white\" stroke=\"black\"/>\n");
        sb.Append(Inv, $"<text x=\"{left + 20}\" y=\"{legendY + 12}\">{NoDataLegend}</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
