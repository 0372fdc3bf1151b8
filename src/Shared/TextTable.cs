using System.Text;

namespace Damon.Shared;

/// <summary>
/// The plain-text tables of the terminal reports (run summaries, numastat, the benchmark tables):
/// columns as wide as their widest cell, two spaces apart, the first <c>leftAligned</c> columns
/// left-aligned (names) and the rest right-aligned (numbers), no trailing spaces. Linked as source
/// into the assemblies that print tables, which share no lower library for text.
/// </summary>
internal static class TextTable
{
    /// <summary>
    /// Appends <paramref name="rows"/>; with <paramref name="headerRule"/>, the first row is a header
    /// followed by a rule of dashes as wide as each column. An empty row is a blank line (a group break).
    /// </summary>
    public static void Append(StringBuilder sb, IReadOnlyList<string[]> rows, int leftAligned, string indent = "", bool headerRule = false)
    {
        if (rows.Count == 0) return;
        int nrCols = rows.Max(r => r.Length);
        var widths = new int[nrCols];
        foreach (var r in rows)
            for (int i = 0; i < r.Length; i++)
                widths[i] = Math.Max(widths[i], r[i].Length);
        for (int n = 0; n < rows.Count; n++)
        {
            Line(sb, rows[n], widths, leftAligned, indent);
            if (n == 0 && headerRule)
                Line(sb, widths.Select(w => new string('-', w)).ToArray(), widths, leftAligned, indent);
        }
    }

    public static void Write(TextWriter o, IReadOnlyList<string[]> rows, int leftAligned, string indent = "", bool headerRule = false)
    {
        var sb = new StringBuilder();
        Append(sb, rows, leftAligned, indent, headerRule);
        o.Write(sb.ToString());
    }

    private static void Line(StringBuilder sb, string[] cells, int[] widths, int leftAligned, string indent)
    {
        int start = sb.Length;
        sb.Append(indent);
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0) sb.Append("  ");
            sb.Append(i < leftAligned ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }
        int end = sb.Length;
        while (end > start && sb[end - 1] == ' ') end--;
        sb.Length = end;
        sb.Append('\n');
    }
}
