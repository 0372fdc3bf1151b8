namespace Damon.Core.Util;

/// <summary>
/// Durations as text: one or more "number unit" terms ("500ms", "1m 30s", "1 m 11.5 s") with
/// damo's units ns, us, ms, s, m (minutes), h, d, or a bare number in a unit the caller names
/// (seconds for Damon's own options; damo's options keep damo's microseconds or milliseconds).
/// The one duration grammar of every option.
/// </summary>
public static class DurationText
{
    /// <summary>damo's time units (text_to_ns) in nanoseconds.</summary>
    public static IReadOnlyDictionary<string, ulong> UnitsNs { get; } = new Dictionary<string, ulong>(StringComparer.Ordinal)
    {
        ["ns"] = 1, ["us"] = 1_000, ["ms"] = 1_000_000, ["s"] = 1_000_000_000,
        ["m"] = 60_000_000_000, ["h"] = 3_600_000_000_000, ["d"] = 86_400_000_000_000,
    };

    public const ulong NsPerUs = 1_000;
    public const ulong NsPerSec = 1_000_000_000;

    /// <summary>Examples for error messages of options whose bare numbers are seconds.</summary>
    public const string SecondsExamples = "e.g. 10, 10s, 500ms, 1m";

    /// <summary>
    /// Parses a duration into nanoseconds (a fractional nanosecond is truncated).
    /// <paramref name="bareUnitNs"/> is the unit of a number without one.
    /// </summary>
    public static bool TryParseNs(string text, ulong bareUnitNs, out ulong ns, out string problem)
    {
        ns = 0;
        string t = text.Trim();
        if (NumberText.TryParseDecimal(t, out decimal bare, out problem))
            return NumberText.TryScaleToUlong(bare, bareUnitNs, "2^64 - 1 ns", out ns, out problem);
        if (problem != NumberText.NotANumber) return false;
        decimal total = 0;
        int i = 0;
        while (i < t.Length)
        {
            // A term: number characters up to the first letter, then the letters of its unit.
            int numStart = i;
            while (i < t.Length && (!char.IsAsciiLetter(t[i]) || IsExponent(t, i))) i++;
            int unitStart = i;
            while (i < t.Length && char.IsAsciiLetter(t[i])) i++;
            string number = t[numStart..unitStart].Trim();
            string unit = t[unitStart..i];
            if (number.Length == 0 || !UnitsNs.TryGetValue(unit, out ulong unitNs))
            {
                problem = NumberText.NotANumber;
                return false;
            }
            if (!NumberText.TryParseDecimal(number, out decimal n, out problem)) return false;
            if (!NumberText.TryScaleToUlong(n, unitNs, "2^64 - 1 ns", out ulong termNs, out problem)) return false;
            total += termNs;
            while (i < t.Length && char.IsWhiteSpace(t[i])) i++;
        }
        if (total > ulong.MaxValue)
        {
            problem = "too long (at most 2^64 - 1 ns)";
            return false;
        }
        ns = (ulong)total;
        return t.Length > 0 || Fail(out problem);
    }

    /// <summary>Parses a duration into microseconds (truncated), a bare number being <paramref name="bareUnitNs"/>.</summary>
    public static bool TryParseUs(string text, ulong bareUnitNs, out ulong us, out string problem)
    {
        us = 0;
        if (!TryParseNs(text, bareUnitNs, out ulong ns, out problem)) return false;
        us = ns / NsPerUs;
        return true;
    }

    /// <summary>An 'e' that starts an exponent ("1e3s"), not a unit.</summary>
    private static bool IsExponent(string t, int i)
    {
        if (t[i] is not ('e' or 'E') || i == 0 || !(char.IsAsciiDigit(t[i - 1]) || t[i - 1] == '.')) return false;
        int j = i + 1;
        if (j < t.Length && t[j] is '+' or '-') j++;
        return j < t.Length && char.IsAsciiDigit(t[j]);
    }

    private static bool Fail(out string problem)
    {
        problem = NumberText.NotANumber;
        return false;
    }
}
