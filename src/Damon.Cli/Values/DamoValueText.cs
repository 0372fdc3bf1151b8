using Damon.Core.Util;

namespace Damon.Cli.Values;

/// <summary>
/// The thousands rule for values the report and filter options read with damo's record-text
/// parser (which, like damo, would drop every comma): a comma that does not group thousands is
/// refused with the rule, not read as another number.
/// </summary>
internal static class DamoValueText
{
    public static string Checked(string text, string option) =>
        DigitGrouping.IsMisused(text)
            ? throw new UserError($"{option} {text}: {DigitGrouping.Rule}", ExitCodes.UsageError)
            : text;
}
