using System.Globalization;
using System.Security;
using System.Text;

namespace Damon.Tiering.Harness;

/// <summary>
/// A hand-written SVG line chart against simulated time: one line per labelled series, a legend on
/// the right, y from 0 to <c>yMax</c> (the data's maximum when not given).
/// </summary>
public static class LinePlotSvg
{
    private static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <param name="lines">(legend label, points of (simulated ms, value)).</param>
    /// <param name="yFormat">How a y tick prints a value (e.g. "0.00", or a MiB conversion).</param>
    public static string Render(string title, IReadOnlyList<(string Label, IReadOnlyList<(double TimeMs, double Value)> Points)> lines,
        Func<double, string> yFormat, double? yMax = null)
    {
        const int w = 760, h = 380, left = 70, right = 170, top = 40, bottom = 50;
        int pw = w - left - right, ph = h - top - bottom;
        var all = lines.SelectMany(l => l.Points).ToList();
        double maxT = Math.Max(1, all.Select(p => p.TimeMs).DefaultIfEmpty(1).Max());
        double maxY = yMax ?? all.Select(p => p.Value).DefaultIfEmpty(0).Max();
        if (!(maxY > 0)) maxY = 1;
        var inv = CultureInfo.InvariantCulture;
        string X(double t) => (left + t / maxT * pw).ToString("0.0", inv);
        string Y(double v) => (top + (1 - v / maxY) * ph).ToString("0.0", inv);
        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>");
        sb.AppendLine($"<text x=\"{w / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{SecurityElement.Escape(title)}</text>");
        for (int i = 0; i <= 4; i++)
        {
            double v = maxY * i / 4.0;
            sb.AppendLine($"<line x1=\"{left}\" x2=\"{left + pw}\" y1=\"{Y(v)}\" y2=\"{Y(v)}\" stroke=\"#ddd\"/>");
            sb.AppendLine($"<text x=\"{left - 6}\" y=\"{Y(v)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{SecurityElement.Escape(yFormat(v))}</text>");
        }
        for (int i = 0; i <= 5; i++)
        {
            double t = maxT * i / 5;
            sb.AppendLine($"<text x=\"{X(t)}\" y=\"{top + ph + 18}\" text-anchor=\"middle\">{(t / 1000).ToString("0.0", inv)}</text>");
        }
        sb.AppendLine($"<text x=\"{left + pw / 2}\" y=\"{h - 12}\" text-anchor=\"middle\">simulated time (s)</text>");
        sb.AppendLine($"<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#333\"/>");
        for (int i = 0; i < lines.Count; i++)
        {
            var (label, points) = lines[i];
            string color = Colors[i % Colors.Length];
            var pts = string.Join(' ', points.Select(p => $"{X(p.TimeMs)},{Y(p.Value)}"));
            sb.AppendLine($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{pts}\"/>");
            int ly = top + 10 + i * 18;
            sb.AppendLine($"<line x1=\"{left + pw + 12}\" x2=\"{left + pw + 32}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            sb.AppendLine($"<text x=\"{left + pw + 38}\" y=\"{ly}\" dominant-baseline=\"middle\">{SecurityElement.Escape(label)}</text>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
