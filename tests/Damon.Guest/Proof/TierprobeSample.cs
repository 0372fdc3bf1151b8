using System.Globalization;

namespace Damon.Guest.Proof;

/// <summary>
/// One line of tierprobe (tools/testbed/workloads/tierprobe.c): where its pages were at probe time <see cref="T"/>
/// (seconds since every page had been placed on the start node), from a move_pages query.
/// </summary>
public readonly record struct TierprobeSample(double T, long HotNode0, long HotTotal, long ColdNode0, long ColdTotal)
{
    /// <summary>Parses "t=1.250 hot_node0=N hot_total=N cold_node0=N cold_total=N ..."; null for any other line.</summary>
    public static TierprobeSample? TryParse(string line)
    {
        if (!line.StartsWith("t=", StringComparison.Ordinal)) return null;
        var f = Fields(line);
        return f.TryGetValue("t", out var t) && f.TryGetValue("hot_node0", out var h0) && f.TryGetValue("hot_total", out var ht)
               && f.TryGetValue("cold_node0", out var c0) && f.TryGetValue("cold_total", out var ct)
            ? new TierprobeSample(double.Parse(t, CultureInfo.InvariantCulture), long.Parse(h0, CultureInfo.InvariantCulture),
                long.Parse(ht, CultureInfo.InvariantCulture), long.Parse(c0, CultureInfo.InvariantCulture), long.Parse(ct, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>The key=value words of a tierprobe line.</summary>
    public static Dictionary<string, string> Fields(string line)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string w in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = w.IndexOf('=');
            if (eq > 0) d[w[..eq]] = w[(eq + 1)..];
        }
        return d;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"t={T:F3} s: {HotNode0}/{HotTotal} hot and {ColdNode0}/{ColdTotal} cold pages on node0");
}
