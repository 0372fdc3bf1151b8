using System.Text;
using System.Text.Json;
using Damon.Shared;

namespace Damon.Sim.Machine;

/// <summary>
/// A JSON value with the line it starts on. System.Text.Json's DOM forgets positions, and a
/// machine-file error must say where the bad value is, so this small tree keeps them.
/// </summary>
internal sealed class JsonTree
{
    public JsonValueKind Kind { get; private init; }
    public long Line { get; private init; }
    public string Text { get; private init; } = "";
    public List<(string Key, JsonTree Value)> Props { get; } = [];
    public List<JsonTree> Items { get; } = [];

    /// <summary>Parse <paramref name="utf8"/>; syntax errors become <see cref="MachineFileException"/>.</summary>
    public static JsonTree Parse(byte[] utf8, string file)
    {
        var lineStarts = new List<long> { 0 };
        for (int i = 0; i < utf8.Length; i++)
            if (utf8[i] == (byte)'\n') lineStarts.Add(i + 1);
        var options = new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = MaxDepth,
        };
        // The reader checks neither UTF-8 nor \u escapes until GetString, which then throws
        // InvalidOperationException without a position.
        if (JsonInputCheck.FirstInvalidUtf8(utf8) is int badByte)
            throw new MachineFileException(file, LineOf(badByte, lineStarts), "(syntax)", $"not UTF-8 text (byte {badByte} is 0x{utf8[badByte]:x2})");
        if (JsonInputCheck.FirstBadEscape(utf8, options) is long badString)
            throw new MachineFileException(file, LineOf(badString, lineStarts), "(syntax)", $"a string with {JsonInputCheck.BadEscapeRule}");
        var reader = new Utf8JsonReader(utf8, options);
        try
        {
            if (!reader.Read())
                throw new MachineFileException(file, 1, "(document)", "the file is empty");
            var root = ReadValue(ref reader, lineStarts);
            if (reader.Read())
                throw new MachineFileException(file, LineOf(reader.TokenStartIndex, lineStarts), "(document)", "extra content after the top-level object");
            return root;
        }
        catch (JsonException e)
        {
            throw new MachineFileException(file, (e.LineNumber ?? -1) + 1, "(syntax)", JsonInputCheck.OneLine(e));
        }
    }

    /// <summary>A machine file nests 3 levels; the bound keeps the recursive walk off the stack's end.</summary>
    public const int MaxDepth = 64;

    private static long LineOf(long offset, List<long> lineStarts)
    {
        int i = lineStarts.BinarySearch(offset);
        return (i >= 0 ? i : ~i - 1) + 1;
    }

    private static JsonTree ReadValue(ref Utf8JsonReader reader, List<long> lineStarts)
    {
        long line = LineOf(reader.TokenStartIndex, lineStarts);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var node = new JsonTree { Kind = JsonValueKind.Object, Line = line };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string key = reader.GetString()!;
                    reader.Read();
                    node.Props.Add((key, ReadValue(ref reader, lineStarts)));
                }
                return node;
            }
            case JsonTokenType.StartArray:
            {
                var node = new JsonTree { Kind = JsonValueKind.Array, Line = line };
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    node.Items.Add(ReadValue(ref reader, lineStarts));
                return node;
            }
            case JsonTokenType.String:
                return new JsonTree { Kind = JsonValueKind.String, Line = line, Text = reader.GetString()! };
            case JsonTokenType.Number:
                return new JsonTree { Kind = JsonValueKind.Number, Line = line, Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new JsonTree { Kind = JsonValueKind.True, Line = line, Text = "true" };
            case JsonTokenType.False:
                return new JsonTree { Kind = JsonValueKind.False, Line = line, Text = "false" };
            default:
                return new JsonTree { Kind = JsonValueKind.Null, Line = line, Text = "null" };
        }
    }

    public JsonTree? Get(string key)
    {
        foreach (var (k, v) in Props)
            if (k == key) return v;
        return null;
    }
}
