using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Damon.Records.Text;

/// <summary>
/// Serializes a JSON node tree exactly like Python's <c>json.dumps(obj, indent=4)</c>: ", " is
/// never used, ": " separates keys, empty containers stay on one line, non-ASCII is escaped, and
/// floats use Python's repr. damo's <c>--json</c> outputs are produced this way.
/// </summary>
public static class PyJson
{
    public static string Dumps(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append('{');
                bool firstKey = true;
                foreach (var (key, value) in obj)
                {
                    if (!firstKey) sb.Append(',');
                    firstKey = false;
                    sb.Append('\n').Append(' ', 4 * (depth + 1));
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, value, depth + 1);
                }
                sb.Append('\n').Append(' ', 4 * depth).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append('\n').Append(' ', 4 * (depth + 1));
                    Write(sb, array[i], depth + 1);
                }
                sb.Append('\n').Append(' ', 4 * depth).Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        if (value.TryGetValue<string>(out var s)) WriteString(sb, s);
        else if (value.TryGetValue<bool>(out var b)) sb.Append(b ? "true" : "false");
        else if (value.TryGetValue<long>(out var l)) sb.Append(l.ToString(CultureInfo.InvariantCulture));
        else if (value.TryGetValue<ulong>(out var u)) sb.Append(u.ToString(CultureInfo.InvariantCulture));
        else if (value.TryGetValue<double>(out var d)) sb.Append(Float(d));
        else if (value.TryGetValue<JsonElement>(out var el)) WriteElement(sb, el);
        else sb.Append(value.ToJsonString());
    }

    /// <summary>Values parsed from a file arrive as JsonElements; integers stay integers as in Python.</summary>
    private static void WriteElement(StringBuilder sb, JsonElement el)
    {
        switch (el.ValueKind)
        {
            case JsonValueKind.String: WriteString(sb, el.GetString()!); break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Null: sb.Append("null"); break;
            case JsonValueKind.Number:
                var raw = el.GetRawText();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0) sb.Append(raw);
                else sb.Append(Float(el.GetDouble()));
                break;
            default: sb.Append(el.GetRawText()); break;
        }
    }

    private static string Float(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFormat.Repr(d);

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
