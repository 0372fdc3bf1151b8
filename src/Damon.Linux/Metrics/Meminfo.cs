using System.Globalization;
using Damon.Linux.Procfs;

namespace Damon.Linux.Metrics;

/// <summary>
/// /proc/meminfo ("MemTotal:  24683584 kB") and a node's meminfo ("Node 0 MemTotal: ... kB"), as
/// field → bytes. Fields without a unit (HugePages_Total) are counts and kept as they are.
/// </summary>
public sealed class Meminfo(IReadOnlyDictionary<string, ulong> fields, string path)
{
    public IReadOnlyDictionary<string, ulong> Fields { get; } = fields;
    public string Path { get; } = path;

    public ulong this[string field] => Fields.TryGetValue(field, out ulong v) ? v
        : throw new LinuxSourceException(Path, $"has no {field} field");

    public ulong MemTotalBytes => this["MemTotal"];
    public ulong MemFreeBytes => this["MemFree"];
    public ulong ActiveBytes => this["Active"];
    public ulong InactiveBytes => this["Inactive"];

    public static Meminfo Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    /// <summary>Either layout: the "Node N " prefix of node meminfo is skipped.</summary>
    public static Meminfo Parse(string text, string path)
    {
        var fields = new Dictionary<string, ulong>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.AsSpan().Trim();
            if (line.IsEmpty) continue;
            if (line.StartsWith("Node "))
            {
                line = line[5..].TrimStart();
                int sp = line.IndexOf(' ');
                if (sp < 0) throw new LinuxSourceException(path, $"line {lineNo}: expected 'Node N Field: value kB'");
                line = line[sp..].TrimStart();
            }
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new LinuxSourceException(path, $"line {lineNo}: expected 'Field: value [kB]', found '{raw.Trim()}'");
            var key = line[..colon].ToString();
            var rest = line[(colon + 1)..].Trim();
            ulong mult = 1;
            if (rest.EndsWith(" kB")) { mult = 1024; rest = rest[..^3].TrimEnd(); }
            if (!ulong.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
                throw new LinuxSourceException(path, $"line {lineNo}: {key}: expected an unsigned value, found '{rest}'");
            fields[key] = v * mult;
        }
        return new Meminfo(fields, path);
    }
}
