namespace Damon.Config;

/// <summary>
/// Bad configuration input: the message names the file (when there is one), the JSON path of the
/// offending value and what was expected, e.g.
/// <c>kdamonds.json: kdamonds[0].contexts[0].schemes[1].quotas.sz_bytes: "12 XB" is not a size</c>.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message, string? path = null, string? file = null, Exception? inner = null)
        : base(Compose(file, path, message), inner)
    {
        Path = path;
        File = file;
        Detail = message;
    }

    /// <summary>JSON path of the value, without the leading "$." (null for whole-input errors).</summary>
    public string? Path { get; }
    public string? File { get; }
    /// <summary>The message without file and path.</summary>
    public string Detail { get; }

    /// <summary>The same error, attributed to <paramref name="file"/>.</summary>
    public ConfigException InFile(string file) => File is null ? new ConfigException(Detail, Path, file, InnerException) : this;

    private static string Compose(string? file, string? path, string message)
    {
        var prefix = file is null ? "" : file + ": ";
        return string.IsNullOrEmpty(path) ? prefix + message : prefix + path + ": " + message;
    }
}
