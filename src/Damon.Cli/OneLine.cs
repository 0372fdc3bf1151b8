using System.Globalization;
using System.Text;

namespace Damon.Cli;

/// <summary>
/// A user error is one line however it was made: messages quote what the user typed or what a
/// file held, and either may carry a newline or another control character.
/// </summary>
internal static class OneLine
{
    /// <summary>Control characters as C-style escapes (<c>\n</c>, <c>\r</c>, <c>\x1b</c>); tabs stay.</summary>
    public static string Of(string message)
    {
        int i = 0;
        while (i < message.Length && (!char.IsControl(message[i]) || message[i] == '\t')) i++;
        if (i == message.Length) return message;
        var sb = new StringBuilder(message.Length + 8).Append(message, 0, i);
        for (; i < message.Length; i++)
        {
            char c = message[i];
            if (!char.IsControl(c) || c == '\t') sb.Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
