using System.Globalization;
using System.Text;
using Damon.Records.IO;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// Draws a <see cref="Heatmap"/> as an image the way damo's gnuplot plot reads: time on the x axis
/// (left to right), address on the y axis (growing upwards), colour from gnuplot's default
/// palette (black, blue, red, yellow), white where nothing was observed. PNG holds just the
/// pixels; SVG adds axes, labels and a colour bar. Both are written by this code (no plotting
/// library) and atomically.
/// </summary>
public sealed class HeatmapImage(Heatmap map, bool absTime, bool absAddr, bool sizeAxis = false)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>gnuplot's default "rgbformulae 7,5,15" palette for a value in [0, 1].</summary>
    public static (byte R, byte G, byte B) Palette(double x)
    {
        x = Math.Clamp(x, 0, 1);
        static byte C(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return (C(Math.Sqrt(x)), C(x * x * x), C(Math.Sin(2 * Math.PI * x)));
    }

    private (double Lowest, double Highest) Range()
    {
        var extremes = map.HighestLowest();
        return extremes is var (highest, lowest) ? (lowest, highest) : (0, 0);
    }

    private (byte R, byte G, byte B) ColorAt(int row, int col, double lowest, double highest)
    {
        double heat = map.Heats[row, col];
        if (double.IsNaN(heat)) return (255, 255, 255);
        double x = highest > lowest ? (heat - lowest) / (highest - lowest) : 0;
        return Palette(x);
    }

    private int Scale => Math.Max(1, 400 / Math.Max(map.TimeResolution, map.AddrResolution));

    public void WritePng(string path)
    {
        var (lowest, highest) = Range();
        int scale = Scale;
        int width = map.TimeResolution * scale, height = map.AddrResolution * scale;
        int stride = 1 + width * 3;
        var raw = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            int col = map.AddrResolution - 1 - y / scale;
            raw[y * stride] = 0;
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = ColorAt(x / scale, col, lowest, highest);
                int o = y * stride + 1 + x * 3;
                raw[o] = r;
                raw[o + 1] = g;
                raw[o + 2] = b;
            }
        }
        AtomicFile.Write(path, stream => Png.Write(stream, width, height, raw));
    }

    public void WriteSvg(string path)
    {
        var (lowest, highest) = Range();
        int scale = Scale;
        int plotW = map.TimeResolution * scale, plotH = map.AddrResolution * scale;
        const int left = 110, top = 20, bottom = 50, barGap = 20, barW = 20, right = 130;
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
                if (color != (255, 255, 255))
                    sb.Append(Inv, $"<rect x=\"{row * scale}\" y=\"{y * scale}\" width=\"{scale}\" height=\"{run * scale}\" fill=\"#{color.R:x2}{color.G:x2}{color.B:x2}\"/>\n");
                y += run;
            }
        }
        sb.Append("</g>\n");
        sb.Append(Inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"black\"/>\n");

        long timeStart = absTime ? map.TimeStartNs.Truncate() : 0;
        long timeEnd = timeStart + (map.TimeUnitNs * map.TimeResolution).Truncate();
        long addrStart = absAddr ? map.AddrStart : 0;
        long addrEnd = addrStart + map.AddrUnit * map.AddrResolution;
        sb.Append(Inv, $"<text x=\"{left}\" y=\"{top + plotH + 16}\" text-anchor=\"start\">{timeStart}</text>\n");
        sb.Append(Inv, $"<text x=\"{left + plotW}\" y=\"{top + plotH + 16}\" text-anchor=\"end\">{timeEnd}</text>\n");
        sb.Append(Inv, $"<text x=\"{left + plotW / 2}\" y=\"{top + plotH + 38}\" text-anchor=\"middle\">Time (ns)</text>\n");
        sb.Append(Inv, $"<text x=\"{left - 6}\" y=\"{top + plotH}\" text-anchor=\"end\">{addrStart}</text>\n");
        sb.Append(Inv, $"<text x=\"{left - 6}\" y=\"{top + 12}\" text-anchor=\"end\">{addrEnd}</text>\n");
        sb.Append(Inv, $"<text transform=\"translate(16,{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{(sizeAxis ? "Size" : "Address")} (bytes)</text>\n");

        int barX = left + plotW + barGap;
        const int steps = 64;
        for (int i = 0; i < steps; i++)
        {
            var (r, g, b) = Palette(1 - (i + 0.5) / steps);
            double y0 = top + (double)plotH * i / steps;
            sb.Append(Inv, $"<rect x=\"{barX}\" y=\"{y0:0.##}\" width=\"{barW}\" height=\"{(double)plotH / steps + 0.5:0.##}\" fill=\"#{r:x2}{g:x2}{b:x2}\"/>\n");
        }
        sb.Append(Inv, $"<rect x=\"{barX}\" y=\"{top}\" width=\"{barW}\" height=\"{plotH}\" fill=\"none\" stroke=\"black\"/>\n");
        sb.Append(Inv, $"<text x=\"{barX + barW + 4}\" y=\"{top + 12}\">{PyFormat.F(highest, 3)}</text>\n");
        sb.Append(Inv, $"<text x=\"{barX + barW + 4}\" y=\"{top + plotH}\">{PyFormat.F(lowest, 3)}</text>\n");
        sb.Append(Inv, $"<text transform=\"translate({barX + barW + 90},{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">Access frequency ({map.HeatUnit})</text>\n");
        sb.Append("</svg>\n");
        var bytes = new UTF8Encoding(false).GetBytes(sb.ToString());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
