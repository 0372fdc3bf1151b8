namespace Damon.Records.Reports;

/// <summary>
/// damo prints short reports with <c>print()</c> (adding a newline) but hands anything over 50
/// lines to <c>less</c>, which copies the text verbatim when stdout is not a terminal. Golden
/// outputs therefore end with a newline only when they are short; this reproduces that.
/// </summary>
public static class DamoOutput
{
    public const int PagerThresholdLines = 50;

    public static string AsPrinted(string text)
    {
        int newlines = 0;
        foreach (var c in text)
            if (c == '\n') newlines++;
        return newlines <= PagerThresholdLines ? text + "\n" : text;
    }
}
