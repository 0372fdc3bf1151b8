using System.Globalization;
using Damon.Shared;

namespace Damon.Cli.Simulation;

/// <summary>Short human units for the simulated-run tables.</summary>
internal static class TextFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Time(ulong us) => us switch
    {
        >= 1_000_000 => string.Create(Inv, $"{us / 1e6:0.#} s"),
        >= 1_000 => string.Create(Inv, $"{us / 1e3:0.#} ms"),
        _ => string.Create(Inv, $"{us} us"),
    };

    public static string Seconds(ulong us) => string.Create(Inv, $"{us / 1e6:0.00} s");

    public static string Hex(ulong v) => string.Create(Inv, $"0x{v:x}");

    public static string Mb(ulong bytes) => string.Create(Inv, $"{bytes / 1048576.0:0.00}");

    /// <summary>A bar of <paramref name="width"/> cells, filled in proportion (rounded up so any access shows).</summary>
    public static string Bar(ulong value, ulong max, int width)
    {
        if (max == 0) return new string(' ', width);
        int n = (int)Math.Min((ulong)width, (value * (ulong)width + max - 1) / max);
        return new string('#', n) + new string('.', width - n);
    }

    /// <summary>Renders rows as columns: the first <paramref name="leftAligned"/> columns left-aligned, the rest right-aligned.</summary>
    public static void Table(TextWriter o, IReadOnlyList<string[]> rows, int leftAligned = 1, string indent = "") =>
        TextTable.Write(o, rows, leftAligned, indent);
}
