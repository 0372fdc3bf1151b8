using System.Globalization;

namespace Damon.Tiering.Harness;

/// <summary>The fast-tier hit ratio (0–1) against simulated time, a line per policy.</summary>
public static class HitRatioSvg
{
    public static string Render(string title, IReadOnlyList<PolicyResult> results) =>
        LinePlotSvg.Render($"Fast-tier hit ratio: {title}",
            results.Select(r => (r.Policy, (IReadOnlyList<(double, double)>)r.HitRatio.Select(s => (s.TimeMs, s.FastHitRatio)).ToList())).ToList(),
            v => v.ToString("0.00", CultureInfo.InvariantCulture), 1.0);
}
