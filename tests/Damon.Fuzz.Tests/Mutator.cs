using System.Text;
using System.Text.RegularExpressions;

namespace Damon.Fuzz.Tests;

/// <summary>
/// Seeded damage to a valid input: cuts, flipped bytes, splices, and mutations aimed at the
/// syntax (duplicate keys, huge and negative numbers, deep nesting, lone surrogates, invalid
/// UTF-8). Returns the damaged bytes and a description of what was done.
/// </summary>
internal static partial class Mutator
{
    private delegate (byte[] Bytes, string What) Mutation(byte[] input, Random r, Syntax syntax);

    private static readonly Mutation[] All =
    [
        Truncate, FlipBytes, DropSpan, Splice, ReplaceNumber, ReplaceNumber, ReplaceNumber, DuplicateKey,
        DeepNesting, LoneSurrogate, InvalidUtf8, DuplicateLine, SwapLines, ChangeType, Degenerate, Stack,
    ];

    public static (byte[] Bytes, string What) Mutate(byte[] input, Random r, Syntax syntax) =>
        All[r.Next(All.Length)](input, r, syntax);

    private static (byte[], string) Truncate(byte[] b, Random r, Syntax _)
    {
        int at = r.Next(0, Math.Max(1, b.Length));
        return (b[..at], $"truncated to {at} of {b.Length} bytes");
    }

    private static (byte[], string) FlipBytes(byte[] b, Random r, Syntax _)
    {
        if (b.Length == 0) return (b, "empty, nothing to flip");
        var bytes = (byte[])b.Clone();
        var what = new List<string>();
        for (int n = r.Next(1, 8); n > 0; n--)
        {
            int at = r.Next(bytes.Length);
            bytes[at] = (byte)r.Next(256);
            what.Add($"{at}=0x{bytes[at]:x2}");
        }
        return (bytes, "bytes set: " + string.Join(", ", what));
    }

    private static (byte[], string) DropSpan(byte[] b, Random r, Syntax _)
    {
        if (b.Length < 2) return (b, "too short to cut");
        int at = r.Next(b.Length - 1);
        int end = Math.Min(b.Length, at + r.Next(1, 200));
        return ([.. b[..at], .. b[end..]], $"bytes {at}..{end} dropped");
    }

    private static (byte[], string) Splice(byte[] b, Random r, Syntax _)
    {
        if (b.Length < 2) return (b, "too short to splice");
        int from = r.Next(b.Length - 1);
        int len = Math.Min(b.Length - from, r.Next(1, 400));
        int to = r.Next(b.Length);
        return ([.. b[..to], .. b.AsSpan(from, len).ToArray(), .. b[to..]], $"bytes {from}..{from + len} copied to {to}");
    }

    private static (byte[], string) ReplaceNumber(byte[] b, Random r, Syntax syntax)
    {
        string text = Latin1(b);
        var numbers = Number().Matches(text);
        if (numbers.Count == 0) return FlipBytes(b, r, syntax);
        var m = numbers[r.Next(numbers.Count)];
        string nasty = NastyValues.Numbers[r.Next(NastyValues.Numbers.Length)];
        return (Bytes(text[..m.Index] + nasty + text[(m.Index + m.Length)..]), $"number '{m.Value}' at {m.Index} replaced by {nasty}");
    }

    private static (byte[], string) DuplicateKey(byte[] b, Random r, Syntax syntax)
    {
        string text = Latin1(b);
        var keys = (syntax == Syntax.Json ? JsonKey() : YamlKey()).Matches(text);
        if (keys.Count == 0) return DuplicateLine(b, r, syntax);
        var m = keys[r.Next(keys.Count)];
        string value = r.Next(2) == 0 ? NastyValues.Numbers[r.Next(NastyValues.Numbers.Length)] : "\"dup\"";
        string insert = syntax == Syntax.Json
            ? $"\"{m.Groups["key"].Value}\": {value}, "
            : $"{m.Groups["indent"].Value}{m.Groups["key"].Value}: {value}\n";
        return (Bytes(text[..m.Index] + insert + text[m.Index..]), $"key '{m.Groups["key"].Value}' at {m.Index} duplicated with {value}");
    }

    /// <summary>Names every nesting mutation, so the suite can run those cases in a child process.</summary>
    public const string NestingMark = "nested lists";

    private static (byte[], string) DeepNesting(byte[] b, Random r, Syntax syntax)
    {
        // 50,000 levels overflow the main thread's stack in a recursive parser (30,000 do not, here);
        // deeper only makes the crash print a longer trace (seconds per case).
        int depth = r.Next(3) == 0 ? 50_000 : r.Next(60, 2_000);
        string nest = new string('[', depth) + "1" + new string(']', depth);
        string text = Latin1(b);
        var numbers = Number().Matches(text);
        if (syntax is Syntax.Binary or Syntax.Lines || numbers.Count == 0)
        {
            int at = r.Next(text.Length + 1);
            return (Bytes(text[..at] + nest + text[at..]), $"{depth} nested lists inserted at {at}");
        }
        var m = numbers[r.Next(numbers.Count)];
        return (Bytes(text[..m.Index] + nest + text[(m.Index + m.Length)..]), $"number at {m.Index} replaced by {depth} nested lists");
    }

    private static (byte[], string) LoneSurrogate(byte[] b, Random r, Syntax syntax)
    {
        string text = Latin1(b);
        int quote = text.IndexOf('"', r.Next(Math.Max(1, text.Length)));
        if (quote < 0) quote = text.IndexOf('"');
        string surrogate = r.Next(2) == 0 ? "\\ud800" : "\\udfff\\ud800";
        if (quote >= 0 && syntax is Syntax.Json or Syntax.Yaml)
            return (Bytes(text[..(quote + 1)] + surrogate + text[(quote + 1)..]), $"escaped lone surrogate {surrogate} after the quote at {quote}");
        // Raw UTF-8 of a surrogate code point (CESU-style), which is invalid UTF-8.
        int at = r.Next(b.Length + 1);
        return ([.. b[..at], 0xED, 0xA0, 0x80, .. b[at..]], $"raw surrogate bytes ED A0 80 at {at}");
    }

    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]];

    private static (byte[], string) InvalidUtf8(byte[] b, Random r, Syntax _)
    {
        var bad = BadUtf8[r.Next(BadUtf8.Length)];
        int at = r.Next(b.Length + 1);
        return ([.. b[..at], .. bad, .. b[at..]], $"invalid UTF-8 {Convert.ToHexString(bad)} at {at}");
    }

    private static (byte[], string) DuplicateLine(byte[] b, Random r, Syntax _)
    {
        var lines = Latin1(b).Split('\n').ToList();
        int i = r.Next(lines.Count);
        int times = r.Next(2) == 0 ? 1 : r.Next(2, 50);
        lines.InsertRange(i, Enumerable.Repeat(lines[i], times));
        return (Bytes(string.Join('\n', lines)), $"line {i + 1} repeated {times} more time(s)");
    }

    private static (byte[], string) SwapLines(byte[] b, Random r, Syntax _)
    {
        var lines = Latin1(b).Split('\n');
        int i = r.Next(lines.Length), j = r.Next(lines.Length);
        (lines[i], lines[j]) = (lines[j], lines[i]);
        return (Bytes(string.Join('\n', lines)), $"lines {i + 1} and {j + 1} swapped");
    }

    private static readonly string[] OtherTypes = ["\"text\"", "true", "null", "{}", "[]", "[1, 2]", "{\"a\": 1}", "\"\"", "~", "-"];

    private static (byte[], string) ChangeType(byte[] b, Random r, Syntax syntax)
    {
        string text = Latin1(b);
        var numbers = Number().Matches(text);
        if (numbers.Count == 0) return Splice(b, r, syntax);
        var m = numbers[r.Next(numbers.Count)];
        string other = OtherTypes[r.Next(OtherTypes.Length)];
        return (Bytes(text[..m.Index] + other + text[(m.Index + m.Length)..]), $"number '{m.Value}' at {m.Index} replaced by {other}");
    }

    private static readonly (string What, byte[] Bytes)[] Degenerates =
    [
        ("an empty file", []), ("a UTF-8 BOM only", [0xEF, 0xBB, 0xBF]), ("one NUL byte", [0]), ("a newline", [(byte)'\n']),
        ("'null'", "null"u8.ToArray()), ("'[]'", "[]"u8.ToArray()), ("'{}'", "{}"u8.ToArray()), ("'0'", "0"u8.ToArray()),
        ("a YAML document marker", "---\n"u8.ToArray()), ("a lone quote", "\""u8.ToArray()),
    ];

    private static (byte[], string) Degenerate(byte[] b, Random r, Syntax _)
    {
        if (r.Next(3) == 0)
            return ([0xEF, 0xBB, 0xBF, .. b], "UTF-8 BOM prepended");
        if (r.Next(3) == 0)
            return (Bytes(Latin1(b).Replace("\n", "\r\n")), "CRLF line ends");
        var (what, bytes) = Degenerates[r.Next(Degenerates.Length)];
        return (bytes, "replaced by " + what);
    }

    private static (byte[], string) Stack(byte[] b, Random r, Syntax syntax)
    {
        var (once, first) = All[r.Next(All.Length - 1)](b, r, syntax);
        var (twice, second) = All[r.Next(All.Length - 1)](once, r, syntax);
        return (twice, first + ", then " + second);
    }

    // Latin-1 maps every byte to one char and back, so text edits keep the other bytes as they were.
    private static string Latin1(byte[] b) => Encoding.Latin1.GetString(b);
    private static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    [GeneratedRegex(@"-?\b\d+(\.\d+)?([eE][+-]?\d+)?\b")]
    private static partial Regex Number();

    [GeneratedRegex("\"(?<key>[A-Za-z_][A-Za-z0-9_]*)\"\\s*:")]
    private static partial Regex JsonKey();

    [GeneratedRegex(@"(?m)^(?<indent>[ -]*)(?<key>[A-Za-z_][A-Za-z0-9_]*):")]
    private static partial Regex YamlKey();
}
