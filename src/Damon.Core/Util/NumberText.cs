using System.Globalization;
using System.Numerics;

namespace Damon.Core.Util;

/// <summary>
/// The number part of sizes, durations and counts: decimal digits with an optional sign, fraction
/// and exponent, and commas only between thousands. Kept exact (decimal) so that 2^64 - 1 bytes and
/// 64-bit nanosecond counts survive, and so "0.1s" is 100 ms, not 99.999 ms.
/// </summary>
public static class NumberText
{
    /// <summary>The problem reported for text that is no number at all; callers name what was expected instead.</summary>
    public const string NotANumber = "not a number";

    /// <summary>Parses a finite decimal number; no NaN, infinity, hex or Python's "1_000".</summary>
    public static bool TryParseDecimal(string text, out decimal value, out string problem)
    {
        value = 0;
        if (!DigitGrouping.TryRemove(text, out string plain))
        {
            problem = DigitGrouping.Rule;
            return false;
        }
        plain = plain.Trim();
        if (plain.Length == 0 || !plain.All(c => char.IsAsciiDigit(c) || c is '.' or '+' or '-' or 'e' or 'E'))
        {
            problem = NotANumber;
            return false;
        }
        if (decimal.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            problem = "";
            return true;
        }
        // decimal's range ends near 7.9e28: a number double can read is then merely too large.
        bool big = double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out double d);
        problem = big && d < 0 ? "must not be negative" : big ? "too large" : NotANumber;
        return false;
    }

    /// <summary>
    /// <paramref name="n"/> times <paramref name="scale"/>, truncated toward zero, when it is a
    /// non-negative value that fits in 64 bits; <paramref name="limit"/> names the bound for the message.
    /// </summary>
    public static bool TryScaleToUlong(decimal n, ulong scale, string limit, out ulong value, out string problem)
    {
        value = 0;
        if (n < 0)
        {
            problem = "must not be negative";
            return false;
        }
        decimal scaled;
        try { scaled = decimal.Truncate(n * scale); }
        catch (OverflowException) { scaled = decimal.MaxValue; }
        if (scaled > ulong.MaxValue)
        {
            problem = $"too large (at most {limit})";
            return false;
        }
        value = (ulong)scaled;
        problem = "";
        return true;
    }

    /// <summary>
    /// A whole number in [<paramref name="min"/>, <paramref name="max"/>], thousands commas allowed,
    /// for any integer type up to 64 bits (counts, pids, seeds, ids).
    /// </summary>
    public static bool TryParseInteger<T>(string text, T min, T max, out T value, out string problem)
        where T : struct, IBinaryInteger<T>
    {
        value = T.Zero;
        if (!TryParseDecimal(text, out decimal d, out problem))
            return false;
        if (d != decimal.Truncate(d))
        {
            problem = "not a whole number";
            return false;
        }
        decimal lo = decimal.CreateChecked(min), hi = decimal.CreateChecked(max);
        if (d < lo || d > hi)
        {
            problem = d < 0 && lo >= 0 ? "must not be negative"
                : string.Create(CultureInfo.InvariantCulture, $"out of range ({min} to {max})");
            return false;
        }
        value = T.CreateChecked(d);
        return true;
    }
}
