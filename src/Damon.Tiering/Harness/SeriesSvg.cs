using System.Globalization;

namespace Damon.Tiering.Harness;

/// <summary>
/// Plots of the runs' time series beside the hit-ratio plot, a line per policy: the fast node's
/// used memory, the bytes promoted so far and, where the workload declares a hot set, its bytes on
/// the fast node.
/// </summary>
public static class SeriesSvg
{
    /// <summary>(file name suffix, SVG) for one scenario's results; plots without data are left out.</summary>
    public static IEnumerable<(string Suffix, string Svg)> Render(string scenario, IReadOnlyList<PolicyResult> results, int fastNode)
    {
        var runs = results.Where(r => r.Series is not null).ToList();
        if (runs.Count == 0) yield break;
        yield return ("fast-used", Plot($"Fast node used memory (MiB): {scenario}", runs, s => s.NodeUsedBytes[fastNode]));
        yield return ("promoted", Plot($"Bytes promoted so far (MiB): {scenario}", runs, s => s.PromotedBytes));
        if (runs.All(r => r.Series!.NodeHotBytes is not null))
            yield return ("hot-on-fast", Plot($"Hot set on the fast node (MiB): {scenario}", runs, s => s.NodeHotBytes![fastNode]));
    }

    private static string Plot(string title, List<PolicyResult> runs, Func<RunSeries, IReadOnlyList<ulong>> pick) =>
        LinePlotSvg.Render(title,
            runs.Select(r => (r.Policy, (IReadOnlyList<(double, double)>)r.Series!.TimeMs.Zip(pick(r.Series!), (t, b) => (t, b / 1048576.0)).ToList())).ToList(),
            v => v.ToString("0", CultureInfo.InvariantCulture));
}
