using System.Globalization;

namespace Damon.Linux.Procfs;

/// <summary>The kernel's list format of node and cpu masks ("0-3,8,10-11"; empty for none).</summary>
public static class KernelList
{
    public static IReadOnlyList<int> Parse(string text, string path)
    {
        var ids = new List<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-');
            bool ok = dash < 0
                ? int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int lo) & (lo >= 0) && Add(ids, lo, lo)
                : int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out lo)
                  & int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int hi) && hi >= lo && Add(ids, lo, hi);
            if (!ok)
                throw new LinuxSourceException(path, $"expected a list like '0-3,8', found '{text.Trim()}'");
        }
        return ids;
    }

    public static IReadOnlyList<int> Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    private static bool Add(List<int> ids, int lo, int hi)
    {
        for (int i = lo; i <= hi; i++) ids.Add(i);
        return true;
    }
}
