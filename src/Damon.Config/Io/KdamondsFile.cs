using Damon.Config.Schema;
using Damon.Shared;

namespace Damon.Config.Io;

/// <summary>
/// `--kdamonds FILE|JSON`: a file (YAML when it ends in .yaml or .yml, JSON otherwise) or an
/// inline JSON document, as damo accepts.
/// </summary>
public static class KdamondsFile
{
    public static bool IsYamlPath(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    public static KdamondsSpec Load(string arg)
    {
        if (File.Exists(arg))
        {
            string text = ReadText(arg);
            return IsYamlPath(arg) ? KdamondsYaml.Read(text, arg) : KdamondsJson.Read(text, arg);
        }
        var trimmed = arg.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            return KdamondsJson.Read(arg, "<inline JSON>");
        throw new ConfigException("no such file, and not an inline JSON document", null, arg);
    }

    /// <summary>
    /// The file as UTF-8 text. File.ReadAllText would turn damaged bytes into U+FFFD silently;
    /// damo (Python) refuses such a file, and so does this, naming the byte.
    /// </summary>
    public static string ReadText(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read ({e.Message})", null, path, e);
        }
        if (JsonInputCheck.FirstInvalidUtf8(bytes) is int bad)
        {
            var (line, column) = JsonInputCheck.LineColumn(bytes, bad);
            throw new ConfigException($"line {line}, column {column} (byte {bad}): not UTF-8 text (byte 0x{bytes[bad]:x2})", null, path);
        }
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.StartsWith('\uFEFF') ? text[1..] : text;
    }

    public static void Save(string path, KdamondsSpec spec, bool raw)
    {
        var text = IsYamlPath(path) ? KdamondsYaml.Write(spec, raw) : KdamondsJson.Write(spec, raw) + "\n";
        File.WriteAllText(path, text);
    }
}
