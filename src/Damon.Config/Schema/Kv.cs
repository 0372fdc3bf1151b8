using System.Text.Json;
using System.Text.Json.Nodes;
using Damon.Config.Numbers;

namespace Damon.Config.Schema;

/// <summary>
/// One object of a kdamonds document being read, with its JSON path, so every complaint names
/// where it is (<c>kdamonds[0].contexts[0].schemes[1].quotas.sz_bytes</c>). Values may be human
/// strings or raw numbers; keys damo would fill with defaults may be missing.
/// </summary>
public sealed class Kv
{
    private readonly JsonObject _obj;

    private Kv(JsonObject obj, string path)
    {
        _obj = obj;
        Path = path;
    }

    public string Path { get; }

    public static Kv Root(JsonNode? node, string path = "")
        => node is JsonObject o ? new Kv(o, path) : throw new ConfigException($"expected an object, found {Show(node)}", path);

    public string PathOf(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key) => _obj.ContainsKey(key);

    /// <summary>The value, or null when the key is missing or JSON null.</summary>
    public JsonNode? Get(string key) => _obj.TryGetPropertyValue(key, out var v) ? v : null;

    public ConfigException Error(string key, string message) => new(message, PathOf(key));

    internal static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString(ShowOptions);

    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Kv Object(string key)
    {
        var v = Get(key);
        return v is JsonObject o ? new Kv(o, PathOf(key)) : throw Error(key, $"expected an object, found {Show(v)}");
    }

    public Kv? OptionalObject(string key) => Get(key) is null ? null : Object(key);

    public IReadOnlyList<JsonNode?> Array(string key)
    {
        var v = Get(key);
        if (v is null) return [];
        return v is JsonArray a ? a.ToList() : throw Error(key, $"expected a list, found {Show(v)}");
    }

    /// <summary>Each element of a list of objects; missing or null means an empty list.</summary>
    public List<T> List<T>(string key, Func<Kv, T> read)
    {
        var items = Array(key);
        var result = new List<T>(items.Count);
        for (int i = 0; i < items.Count; i++)
            result.Add(read(Root(items[i], $"{PathOf(key)}[{i}]")));
        return result;
    }

    /// <summary>The text damo's parsers would see: strings as they are, numbers as written.</summary>
    private string? Text(string key)
    {
        var v = Get(key);
        if (v is null) return null;
        if (v is JsonValue jv)
        {
            if (jv.TryGetValue<string>(out var s)) return s;
            if (jv.GetValueKind() == JsonValueKind.Number) return jv.ToJsonString();
        }
        throw Error(key, $"expected a string or a number, found {Show(v)}");
    }

    public delegate bool TryParser<T>(string text, out T value);

    public T Parse<T>(string key, T fallback, TryParser<T> parse, string what)
    {
        var text = Text(key);
        if (text is null) return fallback;
        return parse(text, out var value) ? value : throw Error(key, $"{Show(Get(key))} is not {what}"
            + (Damon.Core.Util.DigitGrouping.IsMisused(text) ? $" ({Damon.Core.Util.DigitGrouping.Rule})" : ""));
    }

    public ulong Size(string key, ulong fallback = 0) => Parse<ulong>(key, fallback, DamoParse.TrySize, "a size");
    public ulong Nr(string key, ulong fallback = 0) => Parse<ulong>(key, fallback, DamoParse.TryNr, "a non-negative number");
    public ulong TimeUs(string key, ulong fallback = 0) => Parse<ulong>(key, fallback, DamoParse.TryTimeUs, "a time (microseconds)");
    public ulong TimeMs(string key, ulong fallback = 0) => Parse<ulong>(key, fallback, DamoParse.TryTimeMs, "a time (milliseconds)");
    public ulong Bp(string key, ulong fallback = 0) => Parse<ulong>(key, fallback, DamoParse.TryBp, "a ratio (basis points)");
    public ulong Permil(string key, ulong fallback = 0) => Parse<ulong>(key, fallback, DamoParse.TryPermil, "a ratio (permil)");

    public ulong? OptionalNr(string key) => Get(key) is null ? null : Nr(key);

    public int Int(string key, int fallback, int min = int.MinValue)
    {
        var text = Text(key);
        if (text is null) return fallback;
        if (int.TryParse(text.Replace(",", "", StringComparison.Ordinal), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= min)
            return v;
        throw Error(key, $"{Show(Get(key))} is not an integer{(min == 0 ? " >= 0" : "")}");
    }

    public int? OptionalInt(string key, int min = int.MinValue) => Get(key) is null ? null : Int(key, 0, min);

    public bool Bool(string key, bool fallback)
    {
        var v = Get(key);
        if (v is null) return fallback;
        if (v is JsonValue jv)
        {
            if (jv.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return jv.GetValue<bool>();
            if (jv.TryGetValue<string>(out var s) && DamoParse.TryBool(s, out var b)) return b;
        }
        throw Error(key, $"{Show(v)} is not a boolean (true/false, y/n, yes/no)");
    }

    public string? OptionalString(string key)
    {
        var v = Get(key);
        if (v is null) return null;
        if (v is JsonValue jv && jv.TryGetValue<string>(out var s)) return s;
        throw Error(key, $"expected a string, found {Show(v)}");
    }

    public string Choice(string key, string fallback, IReadOnlyCollection<string> choices)
    {
        var s = OptionalString(key) ?? fallback;
        return choices.Contains(s) ? s : throw Error(key, $"{Show(Get(key))} is not one of {string.Join(", ", choices)}");
    }
}
