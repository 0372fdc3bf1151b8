using System.Globalization;
using System.Text;
using System.Text.Json;
using Damon.Modules.Common;
using Damon.Shared;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Damon.Modules.Config;

/// <summary>
/// A module's parameters as a config file: a flat JSON object or YAML mapping from the kernel's
/// parameter names (<c>min_age</c>, <c>quota_ms</c>, <c>wmarks_high</c>, ...; the sysfs form
/// <c>damon_reclaim.min_age</c> is accepted too) to values. Parameters left out keep the kernel's
/// defaults. Booleans read as the kernel's kstrtobool does (Y/N, 1/0, on/off) or JSON/YAML
/// true/false; unsigned values take decimal or 0x-prefixed hex.
/// </summary>
public static class ModuleParamsFile
{
    /// <summary>Read a .json, .yaml or .yml file.</summary>
    public static T Read<T>(string path) where T : class, IModuleParams<T> => Read(path, T.Default);

    /// <summary>
    /// The file's parameters written over <paramref name="basis"/>, as writing some files under
    /// /sys/module/MODULE/parameters leaves the others as they were.
    /// </summary>
    public static T Read<T>(string path, T basis) where T : class, IModuleParams<T>
    {
        byte[] bytes;
        // Checked first: reading a directory fails as "access denied", which would say permission.
        if (Directory.Exists(path))
            throw ModuleParamException.ForFile(path, "is a directory, not a parameter file");
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ModuleParamException.ForFile(path, ReadFailure(e), e);
        }
        // File.ReadAllText would replace damaged bytes with U+FFFD and read on.
        if (JsonInputCheck.FirstInvalidUtf8(bytes) is int bad)
        {
            var (line, column) = JsonInputCheck.LineColumn(bytes, bad);
            throw new ModuleParamException("(document)", $"is not UTF-8 text: byte {bad} (0x{bytes[bad]:x2}, line {line}, column {column})", path);
        }
        string text = Encoding.UTF8.GetString(bytes);
        if (text.StartsWith('\uFEFF')) text = text[1..];
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ParseJson(text, path, basis),
            ".yaml" or ".yml" => ParseYaml(text, path, basis),
            var ext => throw new ModuleParamException("(file)", $"extension '{ext}' is neither .json, .yaml nor .yml", path),
        };
    }

    /// <summary>
    /// Why a parameter file could not be read, in the words of the errno rather than .NET's
    /// sentence (which repeats the path, sometimes a different one).
    /// </summary>
    public static string ReadFailure(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "file not found",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        _ => $"cannot be read ({e.Message.TrimEnd('.')})",
    };

    public static void Write<T>(string path, T p) where T : class, IModuleParams<T>
    {
        string text = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ToJson(p),
            ".yaml" or ".yml" => ToYaml(p),
            var ext => throw new ModuleParamException("(file)", $"extension '{ext}' is neither .json, .yaml nor .yml", path),
        };
        File.WriteAllText(path, text);
    }

    public static T ParseJson<T>(string text, string? source = null, T? basis = null) where T : class, IModuleParams<T>
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        // A lone surrogate escape would make GetString throw, without a position, while applying.
        if (JsonInputCheck.FirstBadEscape(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is long bad)
        {
            var (line, column) = JsonInputCheck.LineColumn(utf8, bad);
            throw new ModuleParamException("(document)", $"is not valid JSON: line {line}, column {column}: {JsonInputCheck.BadEscapeRule}", source);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: " : "";
            throw new ModuleParamException("(document)", $"is not valid JSON: {where}{JsonInputCheck.OneLine(e)}", source, e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModuleParamException("(document)", $"must be a JSON object of parameter names to values, not {doc.RootElement.ValueKind}", source);
            var entries = new List<(string Name, RawValue Value)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
                entries.Add((prop.Name, RawValue.FromJson(prop.Value)));
            return Apply(entries, source, basis ?? T.Default);
        }
    }

    public static T ParseYaml<T>(string text, string? source = null, T? basis = null) where T : class, IModuleParams<T>
    {
        // YamlDotNet recurses per nesting level; a deep document would overflow the stack.
        if (YamlDepthCheck.FirstTooDeepLine(text) is int deepLine)
            throw new ModuleParamException("(document)", $"is nested more than {YamlDepthCheck.MaxDepth} levels deep at line {deepLine}", source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ModuleParamException("(document)", $"is not valid YAML at line {e.Start.Line}: {e.Message.ReplaceLineEndings(" ")}", source, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner fails this way on some malformed input instead of a YamlException.
            throw new ModuleParamException("(document)", $"is not valid YAML: {e.Message}", source, e);
        }
        var entries = new List<(string Name, RawValue Value)>();
        if (stream.Documents.Count > 0)
        {
            if (stream.Documents[0].RootNode is not YamlMappingNode map)
                throw new ModuleParamException("(document)", "must be a YAML mapping of parameter names to values", source);
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { } name })
                    throw new ModuleParamException("(document)", $"line {key.Start.Line}: parameter names must be scalars", source);
                if (value is not YamlScalarNode scalar)
                    throw new ModuleParamException(name, $"line {value.Start.Line}: must be a single value, not a list or mapping", source);
                entries.Add((name, RawValue.FromYaml(scalar)));
            }
        }
        return Apply(entries, source, basis ?? T.Default);
    }

    public static string ToJson<T>(T p) where T : class, IModuleParams<T>
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var spec in T.Params)
            {
                switch (spec.Get(p))
                {
                    case bool b: w.WriteBoolean(spec.Name, b); break;
                    case long l: w.WriteNumber(spec.Name, l); break;
                    case ulong u: w.WriteNumber(spec.Name, u); break;
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string ToYaml<T>(T p) where T : class, IModuleParams<T>
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(T.ModuleName).Append(" parameters\n");
        foreach (var spec in T.Params)
        {
            string value = spec.Get(p) switch
            {
                bool b => b ? "true" : "false",
                var v => Convert.ToString(v, CultureInfo.InvariantCulture)!,
            };
            sb.Append(spec.Name).Append(": ").Append(value).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>NAME=VALUE</c> writes (kernel text: Y/N, decimal or 0x hex) over <paramref name="basis"/>,
    /// as <c>echo VALUE &gt; /sys/module/MODULE/parameters/NAME</c> does; <paramref name="source"/>
    /// names where they came from in errors.
    /// </summary>
    public static T Set<T>(T basis, IEnumerable<(string Name, string Value)> writes, string source) where T : class, IModuleParams<T>
        => Apply(writes.Select(w => (w.Name, new RawValue(null, w.Value))).ToList(), source, basis);

    private static T Apply<T>(List<(string Name, RawValue Value)> entries, string? source, T basis) where T : class, IModuleParams<T>
    {
        var p = basis;
        var seen = new HashSet<string>();
        string prefix = T.ModuleName + ".";
        foreach (var (rawName, value) in entries)
        {
            string name = rawName.StartsWith(prefix, StringComparison.Ordinal) ? rawName[prefix.Length..] : rawName;
            var spec = T.Params.FirstOrDefault(s => s.Name == name)
                ?? throw new ModuleParamException(rawName,
                    $"is not a {T.ModuleName} parameter (known: {string.Join(", ", T.Params.Select(s => s.Name))})", source);
            if (!seen.Add(name))
                throw new ModuleParamException(rawName, "is given more than once", source);
            object converted = ConvertValue(spec, value, source);
            try
            {
                p = spec.Set(p, converted);
            }
            catch (OverflowException)
            {
                throw new ModuleParamException(rawName, $"must fit in 32 bits (0..{uint.MaxValue}), is {converted}", source);
            }
            catch (ModuleParamException e) when (source is not null && e.File is null)
            {
                throw e.WithFile(source);
            }
        }
        try
        {
            p.Validate();
        }
        catch (ModuleParamException e) when (source is not null)
        {
            throw e.WithFile(source);
        }
        return p;
    }

    private static object ConvertValue<T>(ModuleParam<T> spec, RawValue v, string? source)
    {
        switch (spec.Kind)
        {
            case ModuleParamKind.Bool:
                if (v.Bool is { } b)
                    return b;
                if (v.Text is { } t && TryParseKernelBool(t, out b))
                    return b;
                throw new ModuleParamException(spec.Name, $"must be a boolean (Y/N, 1/0, on/off, true/false), is '{v}'", source);
            case ModuleParamKind.ULong:
                if (v.Text is { } u && TryParseULong(u, out ulong ul))
                    return ul;
                throw new ModuleParamException(spec.Name, $"must be an unsigned integer in [0, {ulong.MaxValue}] (decimal or 0x hex), is '{v}'", source);
            default:
                if (v.Text is { } i && long.TryParse(i, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
                    && l >= int.MinValue && l <= int.MaxValue)
                    return l;
                throw new ModuleParamException(spec.Name, $"must be an integer in [{int.MinValue}, {int.MaxValue}], is '{v}'", source);
        }
    }

    /// <summary>kstrtobool: the first character decides, plus "on"/"off".</summary>
    private static bool TryParseKernelBool(string s, out bool value)
    {
        value = false;
        switch (s.Trim().ToLowerInvariant())
        {
            case "y" or "yes" or "1" or "on" or "true": value = true; return true;
            case "n" or "no" or "0" or "off" or "false": return true;
            default: return false;
        }
    }

    /// <summary>kstrtoul with base 0, minus octal: decimal or 0x hex.</summary>
    private static bool TryParseULong(string s, out ulong value)
    {
        s = s.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A value as found in the file: a JSON/YAML boolean, or the text of a number or string.</summary>
    private readonly record struct RawValue(bool? Bool, string? Text)
    {
        public static RawValue FromJson(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.True => new(true, null),
            JsonValueKind.False => new(false, null),
            JsonValueKind.Number => new(null, e.GetRawText()),
            JsonValueKind.String => new(null, e.GetString()),
            _ => new(null, null),
        };

        public static RawValue FromYaml(YamlScalarNode s)
        {
            // Plain true/false are YAML booleans; Y/N are left to kstrtobool.
            if (s.Style == ScalarStyle.Plain && s.Value is "true" or "false")
                return new(s.Value == "true", s.Value);
            return new(null, s.Value);
        }

        public override string ToString() => Bool?.ToString().ToLowerInvariant() ?? Text ?? "(not a scalar)";
    }
}
