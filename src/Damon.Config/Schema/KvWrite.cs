using System.Text.Json.Nodes;

namespace Damon.Config.Schema;

/// <summary>Values of a kdamonds document being written: human strings, or numbers with <c>raw</c>.</summary>
internal static class KvWrite
{
    public static JsonNode Num(ulong value, bool raw, Func<ulong, bool, string> human)
        => raw ? JsonValue.Create(value) : JsonValue.Create(human(value, false));

    public static JsonNode? Str(string? s) => s is null ? null : JsonValue.Create(s);

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> write)
    {
        var a = new JsonArray();
        foreach (var item in items) a.Add(write(item));
        return a;
    }
}
