using System.Text.Json;

namespace Damon.Shared;

/// <summary>
/// What System.Text.Json's parsers let through and only fail on later, deep inside a reader, with
/// an exception that names no position: invalid UTF-8 (checked only when a string is read) and
/// \u escapes that are not valid UTF-16 (a lone surrogate such as \ud800). Readers call this
/// before walking a document, so the error can name the byte where the problem is.
/// Linked as source into each reader's assembly (they share no lower library that does I/O).
/// </summary>
internal static class JsonInputCheck
{
    public const string BadEscapeRule = "a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)";

    /// <summary>Offset of the first byte that is not part of valid UTF-8, or null.</summary>
    public static int? FirstInvalidUtf8(ReadOnlySpan<byte> data)
    {
        if (System.Text.Unicode.Utf8.IsValid(data)) return null;
        try
        {
            new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(data);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            return e.Index;
        }
        return 0;
    }

    /// <summary>
    /// Offset of the first string or property name whose escapes do not decode, or null. Syntax
    /// errors (including too deep nesting) are left to the real parse, which reports them itself.
    /// </summary>
    public static long? FirstBadEscape(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(utf8, options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
                    continue;
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>
    /// System.Text.Json's message for a syntax error as one short line: without the position tail
    /// (readers give their own) and with the input it quotes (which can span many lines, e.g.
    /// "'n{ "id": ...' is an invalid JSON literal") kept to one line and a bounded length.
    /// </summary>
    public static string OneLine(JsonException e)
    {
        var m = e.Message;
        foreach (var marker in (string[])[" Path:", " LineNumber:"])
        {
            int i = m.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0) m = m[..i];
        }
        m = m.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
        const int MaxChars = 160;
        if (m.Length > MaxChars) m = m[..MaxChars] + "...";
        return m.TrimEnd(' ', '.', '|');
    }

    /// <summary>1-based line and column (in bytes) of <paramref name="offset"/>.</summary>
    public static (long Line, long Column) LineColumn(ReadOnlySpan<byte> data, long offset)
    {
        long line = 1, lineStart = 0;
        int end = (int)Math.Min(offset, data.Length);
        for (int i = 0; i < end; i++)
        {
            if (data[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }
}
