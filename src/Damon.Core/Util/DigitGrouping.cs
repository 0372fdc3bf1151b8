using System.Text.RegularExpressions;

namespace Damon.Core.Util;

/// <summary>
/// Thousands separators in numbers people type or copy from damo's output ("1,000",
/// "12,345,678.5"). damo strips every comma, so "1,5" silently becomes 15; here a comma is
/// accepted only where it groups whole thousands, and anything else is refused rather than read as
/// another number. Shared by every size, duration and count parser (Damon's own and damo's).
/// </summary>
public static partial class DigitGrouping
{
    /// <summary>What to tell a user whose number has a comma that does not group thousands.</summary>
    public const string Rule = "a comma may only separate thousands (1,000 or 12,345,678); '.' starts a fraction";

    /// <summary>
    /// <paramref name="plain"/> is <paramref name="text"/> without its separators; false when a comma
    /// is not between groups of three digits (the number is then not to be read at all).
    /// </summary>
    public static bool TryRemove(string text, out string plain)
    {
        plain = text;
        if (!text.Contains(',')) return true;
        // Each run of digits and commas is checked on its own, so a unit or a second term may
        // follow ("1,000ms", "1,000 ms 30 s"); a comma outside such a run, or in a fraction, is refused.
        int nrGroupingCommas = 0;
        foreach (Match run in DigitRun().Matches(text))
        {
            if (!run.Value.Contains(',')) continue;
            bool inFraction = run.Index > 0 && text[run.Index - 1] == '.';
            if (inFraction || !Grouped().IsMatch(run.Value)) return false;
            nrGroupingCommas += run.Value.Count(c => c == ',');
        }
        if (nrGroupingCommas != text.Count(c => c == ',')) return false;
        plain = text.Replace(",", "", StringComparison.Ordinal);
        return true;
    }

    /// <summary>True when <paramref name="text"/> holds a comma that is not a thousands separator.</summary>
    public static bool IsMisused(string text) => !TryRemove(text, out _);

    // One to three leading digits, then ",ddd" groups.
    [GeneratedRegex(@"^[0-9]{1,3}(,[0-9]{3})+$", RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();

    [GeneratedRegex(@"[0-9][0-9,]*", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();
}
