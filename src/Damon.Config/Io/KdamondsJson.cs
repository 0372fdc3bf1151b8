using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Damon.Config.Schema;
using Damon.Shared;

namespace Damon.Config.Io;

/// <summary>The kdamonds document as JSON, indented by four spaces like damo's json.dumps(indent=4).</summary>
public static class KdamondsJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonNode? Parse(string text, string? file = null)
    {
        // GetString would throw a positionless InvalidOperationException on a lone surrogate
        // escape deep in the schema reader; find it first.
        var utf8 = Encoding.UTF8.GetBytes(text);
        if (JsonInputCheck.FirstBadEscape(utf8, default) is long bad)
        {
            var (line, column) = JsonInputCheck.LineColumn(utf8, bad);
            throw new ConfigException($"line {line}, column {column}: not valid JSON ({JsonInputCheck.BadEscapeRule})", null, file);
        }
        try
        {
            using var doc = JsonDocument.Parse(utf8);
            return ToNode(doc.RootElement);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: " : "";
            throw new ConfigException($"{where}not valid JSON ({JsonInputCheck.OneLine(e)})", null, file, e);
        }
    }

    public static KdamondsSpec Read(string text, string? file = null)
    {
        var root = Parse(text, file);
        try
        {
            return KdamondsSpec.Read(root);
        }
        catch (ConfigException e) when (file is not null)
        {
            throw e.InFile(file);
        }
    }

    public static string Write(JsonNode node)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, WriterOptions))
            node.WriteTo(w);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static string Write(KdamondsSpec spec, bool raw, bool omitDefaults = false, bool paramsOnly = true) => Write(spec.Write(raw, omitDefaults, paramsOnly));

    /// <summary>
    /// A mutable tree; a repeated key keeps its last value, as Python's json module (and so damo)
    /// does, where JsonNode.Parse would fail later on first access.
    /// </summary>
    private static JsonNode? ToNode(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject()) o[p.Name] = ToNode(p.Value);
                return o;
            case JsonValueKind.Array:
                var a = new JsonArray();
                foreach (var item in e.EnumerateArray()) a.Add(ToNode(item));
                return a;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(e.Clone());
        }
    }

}
