using System.Globalization;

namespace Damon.Guest.Proof;

/// <summary>Reads `damon report raw` text (damo's raw layout): one block per snapshot, a region per line
/// "START-END (  SIZE)  NR_ACCESSES  AGE" in hexadecimal addresses.</summary>
public static class RawReport
{
    /// <summary>The regions of the last snapshot block (after the last "monitoring_start:" line).</summary>
    public static IReadOnlyList<KernelRegion> LastSnapshot(string text)
    {
        var last = new List<KernelRegion>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("monitoring_start:", StringComparison.Ordinal)) { last = []; continue; }
            int dash = line.IndexOf('-'), open = line.IndexOf('('), close = line.IndexOf(')');
            if (dash <= 0 || open < dash || close < open) continue;
            string[] tail = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tail.Length < 2
                || !ulong.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(line[(dash + 1)..open].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end)
                || !uint.TryParse(tail[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint acc)
                || !uint.TryParse(tail[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint age))
                continue;
            last.Add(new KernelRegion(start, end, acc, age));
        }
        return last;
    }
}
