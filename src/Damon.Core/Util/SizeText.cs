using System.Globalization;

namespace Damon.Core.Util;

/// <summary>
/// Byte sizes as text: a number (fractions allowed, thousands grouped by commas) and an optional
/// unit of damo's table: B, K/KB/KiB, M/MB/MiB, ... E/EB/EiB, all binary (MB is 2^20, as damo and
/// the kernel's memparse take it). A bare number is bytes. The one size grammar of every option.
/// </summary>
public static class SizeText
{
    /// <summary>damo's size units (text_to_bytes), case-sensitive as damo matches them.</summary>
    public static IReadOnlyDictionary<string, ulong> Units { get; } = new Dictionary<string, ulong>(StringComparer.Ordinal)
    {
        ["B"] = 1,
        ["K"] = 1UL << 10, ["KB"] = 1UL << 10, ["KiB"] = 1UL << 10,
        ["M"] = 1UL << 20, ["MB"] = 1UL << 20, ["MiB"] = 1UL << 20,
        ["G"] = 1UL << 30, ["GB"] = 1UL << 30, ["GiB"] = 1UL << 30,
        ["T"] = 1UL << 40, ["TB"] = 1UL << 40, ["TiB"] = 1UL << 40,
        ["P"] = 1UL << 50, ["PB"] = 1UL << 50, ["PiB"] = 1UL << 50,
        ["E"] = 1UL << 60, ["EB"] = 1UL << 60, ["EiB"] = 1UL << 60,
    };

    /// <summary>Examples for error messages.</summary>
    public const string Examples = "e.g. 4096, 4K, 1.5 GiB, 200MB";

    /// <summary>
    /// Parses a size, truncating a fractional byte; <paramref name="problem"/> says why not (not a
    /// size, negative, beyond 2^64 - 1 bytes, a misplaced comma).
    /// </summary>
    public static bool TryParse(string text, out ulong bytes, out string problem)
    {
        bytes = 0;
        string t = text.Trim();
        ulong scale = 1;
        foreach (var (unit, unitBytes) in Units.OrderByDescending(u => u.Key.Length))
        {
            if (t.Length > unit.Length && t.EndsWith(unit, StringComparison.Ordinal))
            {
                t = t[..^unit.Length].TrimEnd();
                scale = unitBytes;
                break;
            }
        }
        if (!NumberText.TryParseDecimal(t, out decimal n, out problem))
        {
            if (problem == NumberText.NotANumber) problem = $"not a size ({Examples})";
            return false;
        }
        return NumberText.TryScaleToUlong(n, scale, "2^64 - 1 bytes", out bytes, out problem);
    }

    public static bool TryParse(string text, out ulong bytes) => TryParse(text, out bytes, out _);
}
