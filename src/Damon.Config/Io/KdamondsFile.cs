using Damon.Config.Schema;

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
            string text;
            try
            {
                text = File.ReadAllText(arg);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"cannot read ({e.Message})", null, arg, e);
            }
            return IsYamlPath(arg) ? KdamondsYaml.Read(text, arg) : KdamondsJson.Read(text, arg);
        }
        var trimmed = arg.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            return KdamondsJson.Read(arg, "<inline JSON>");
        throw new ConfigException("no such file, and not an inline JSON document", null, arg);
    }

    public static void Save(string path, KdamondsSpec spec, bool raw)
    {
        var text = IsYamlPath(path) ? KdamondsYaml.Write(spec, raw) : KdamondsJson.Write(spec, raw) + "\n";
        File.WriteAllText(path, text);
    }
}
