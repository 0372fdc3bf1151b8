using System.Globalization;

namespace Damon.Cli;

/// <summary>Human-readable sizes for terminal output.</summary>
public static class Units
{
    public static string FormatBytes(ulong sz)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = sz;
        int u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        return u == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sz} B")
            : string.Create(CultureInfo.InvariantCulture, $"{v:0.###} {units[u]}");
    }
}
