using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Damon.Config.Schema;
using Damon.Shared;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Damon.Config.Io;

/// <summary>
/// The kdamonds document as YAML, in PyYAML's block style (what damo's yaml dump gives). Reading
/// goes through the same JSON tree as JSON input, so errors carry the same paths.
/// </summary>
public static partial class KdamondsYaml
{
    public static JsonNode? Parse(string text, string? file = null)
    {
        if (YamlDepthCheck.FirstTooDeepLine(text) is int deepLine)
            throw new ConfigException($"line {deepLine}: nested more than {YamlDepthCheck.MaxDepth} levels deep (counting indentation, brackets and '- ' entries)", null, file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"line {e.Start.Line}, column {e.Start.Column}: not valid YAML ({e.Message.ReplaceLineEndings(" ")})", null, file, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner fails this way on some malformed input instead of a YamlException.
            throw new ConfigException($"not valid YAML ({e.Message.ReplaceLineEndings(" ")})", null, file, e);
        }
        if (stream.Documents.Count == 0)
            throw new ConfigException("empty YAML document", null, file);
        int budget = MaxNodes;
        try
        {
            return ToJson(stream.Documents[0].RootNode, 0, ref budget);
        }
        catch (ConfigException e) when (file is not null)
        {
            throw e.InFile(file);
        }
    }

    /// <summary>Bounds for aliases: a recursive alias or an alias bomb is an error, not a crash.</summary>
    private const int MaxDepth = 64;
    private const int MaxNodes = 1_000_000;

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

    /// <summary>
    /// Plain scalars other than nulls stay strings: the schema reader takes numbers and booleans
    /// from text, as damo's parsers do.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node, int depth, ref int budget)
    {
        if (depth > MaxDepth)
            throw new ConfigException($"line {node.Start.Line}: nested more than {MaxDepth} levels deep (a recursive alias?)");
        if (--budget < 0)
            throw new ConfigException($"more than {MaxNodes} values (an alias expanding too far?)");
        switch (node)
        {
            case YamlMappingNode map:
                var o = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode ks ? ks.Value ?? "" : throw new ConfigException($"line {k.Start.Line}: mapping keys must be scalars");
                    o[key] = ToJson(v, depth + 1, ref budget);
                }
                return o;
            case YamlSequenceNode seq:
                var a = new JsonArray();
                foreach (var item in seq.Children) a.Add(ToJson(item, depth + 1, ref budget));
                return a;
            case YamlScalarNode s:
                if (s.Style == ScalarStyle.Plain && IsNullWord(s.Value)) return null;
                return JsonValue.Create(s.Value ?? "");
            default:
                throw new ConfigException($"line {node.Start.Line}: unsupported YAML node");
        }
    }

    private static bool IsNullWord(string? v) => v is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Write(JsonNode node)
    {
        var doc = new YamlDocument(ToYaml(node));
        var sw = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(sw, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n"));
        new YamlStream(doc).Save(emitter, assignAnchors: false);
        var text = sw.ToString();
        // The representation model closes the document with "..."; PyYAML does not.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    public static string Write(KdamondsSpec spec, bool raw, bool omitDefaults = false, bool paramsOnly = true) => Write(spec.Write(raw, omitDefaults, paramsOnly));

    private static YamlNode ToYaml(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new YamlScalarNode("null") { Style = ScalarStyle.Plain };
            case JsonObject o:
                var map = new YamlMappingNode();
                foreach (var (k, v) in o) map.Add(new YamlScalarNode(k), ToYaml(v));
                return map;
            case JsonArray a:
                var seq = new YamlSequenceNode();
                foreach (var item in a) seq.Add(ToYaml(item));
                if (a.Count == 0) seq.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
                return seq;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        var s = v.GetValue<string>();
                        return new YamlScalarNode(s) { Style = LooksTyped(s) ? ScalarStyle.SingleQuoted : ScalarStyle.Any };
                    case JsonValueKind.True: return new YamlScalarNode("true") { Style = ScalarStyle.Plain };
                    case JsonValueKind.False: return new YamlScalarNode("false") { Style = ScalarStyle.Plain };
                    default: return new YamlScalarNode(v.ToJsonString()) { Style = ScalarStyle.Plain };
                }
            default:
                throw new InvalidOperationException("unexpected JSON node");
        }
    }

    /// <summary>Strings a YAML 1.1 reader (PyYAML) would turn into a null, boolean or number unless quoted.</summary>
    private static bool LooksTyped(string s) => s.Length == 0 || TypedWord().IsMatch(s);

    [GeneratedRegex(@"^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex TypedWord();
}
