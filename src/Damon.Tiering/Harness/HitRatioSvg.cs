using System.Globalization;
using System.Security;
using System.Text;

namespace Damon.Tiering.Harness;

/// <summary>A hand-written SVG line chart: fast-tier hit ratio (0–1) against simulated time, a line per policy.</summary>
public static class HitRatioSvg
{
    private static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Render(string title, IReadOnlyList<PolicyResult> results)
    {
        const int w = 760, h = 380, left = 60, right = 170, top = 40, bottom = 50;
        int pw = w - left - right, ph = h - top - bottom;
        double maxT = Math.Max(1, results.SelectMany(r => r.HitRatio).Select(s => s.TimeMs).DefaultIfEmpty(1).Max());
        var inv = CultureInfo.InvariantCulture;
        string X(double t) => (left + t / maxT * pw).ToString("0.0", inv);
        string Y(double v) => (top + (1 - v) * ph).ToString("0.0", inv);
        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>");
        sb.AppendLine($"<text x=\"{w / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">Fast-tier hit ratio: {SecurityElement.Escape(title)}</text>");
        for (int i = 0; i <= 4; i++)
        {
            double v = i / 4.0;
            sb.AppendLine($"<line x1=\"{left}\" x2=\"{left + pw}\" y1=\"{Y(v)}\" y2=\"{Y(v)}\" stroke=\"#ddd\"/>");
            sb.AppendLine($"<text x=\"{left - 6}\" y=\"{Y(v)}\" text-anchor=\"end\" dominant-baseline=\"middle\">{v.ToString("0.00", inv)}</text>");
        }
        for (int i = 0; i <= 5; i++)
        {
            double t = maxT * i / 5;
            sb.AppendLine($"<text x=\"{X(t)}\" y=\"{top + ph + 18}\" text-anchor=\"middle\">{(t / 1000).ToString("0.0", inv)}</text>");
        }
        sb.AppendLine($"<text x=\"{left + pw / 2}\" y=\"{h - 12}\" text-anchor=\"middle\">simulated time (s)</text>");
        sb.AppendLine($"<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#333\"/>");
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            string color = Colors[i % Colors.Length];
            var pts = string.Join(' ', r.HitRatio.Select(s => $"{X(s.TimeMs)},{Y(s.FastHitRatio)}"));
            sb.AppendLine($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{pts}\"/>");
            int ly = top + 10 + i * 18;
            sb.AppendLine($"<line x1=\"{left + pw + 12}\" x2=\"{left + pw + 32}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            sb.AppendLine($"<text x=\"{left + pw + 38}\" y=\"{ly}\" dominant-baseline=\"middle\">{SecurityElement.Escape(r.Policy)}</text>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
