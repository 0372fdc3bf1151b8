using System.Globalization;

namespace Damon.Linux.Procfs;

/// <summary>One /proc/PID/numa_maps line: a VMA's start, policy and pages per node.</summary>
public sealed record NumaMapsVma(ulong Start, string Policy, IReadOnlyDictionary<int, ulong> PagesPerNode, ulong PageSizeBytes)
{
    public ulong BytesOn(int nid) => PagesPerNode.GetValueOrDefault(nid) * PageSizeBytes;
}

/// <summary>
/// /proc/PID/numa_maps: "start policy [key=value | flag]..." with N&lt;node&gt;=&lt;pages&gt; for each
/// node holding pages of the VMA and kernelpagesize_kB for the page size those counts are in.
/// </summary>
public static class NumaMaps
{
    public static string PathOf(int pid, string procRoot = "/proc") =>
        Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "numa_maps");

    public static IReadOnlyList<NumaMapsVma> Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    public static IReadOnlyList<NumaMapsVma> Parse(string text, string path)
    {
        var vmas = new List<NumaMapsVma>();
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !ulong.TryParse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start))
                throw new LinuxSourceException(path, $"line {lineNo}: expected 'start policy ...' with a hex start, found '{line}'");
            var nodes = new Dictionary<int, ulong>();
            ulong pageKb = 4;
            for (int i = 2; i < fields.Length; i++)
            {
                var f = fields[i];
                int eq = f.IndexOf('=');
                if (eq < 0) continue;
                var key = f.AsSpan(0, eq);
                var value = f.AsSpan(eq + 1);
                if (key.Length > 1 && key[0] == 'N' && int.TryParse(key[1..], NumberStyles.None, CultureInfo.InvariantCulture, out int nid))
                {
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong pages))
                        throw new LinuxSourceException(path, $"line {lineNo}: {f}: expected N<node>=<pages>");
                    nodes[nid] = pages;
                }
                else if (key.SequenceEqual("kernelpagesize_kB"))
                {
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out pageKb))
                        throw new LinuxSourceException(path, $"line {lineNo}: {f}: expected a page size in kB");
                }
            }
            vmas.Add(new NumaMapsVma(start, fields[1], nodes, pageKb * 1024));
        }
        return vmas;
    }

    /// <summary>Bytes per node over all VMAs (pages × each VMA's page size).</summary>
    public static SortedDictionary<int, ulong> BytesPerNode(IEnumerable<NumaMapsVma> vmas)
    {
        var sum = new SortedDictionary<int, ulong>();
        foreach (var v in vmas)
            foreach (var (nid, pages) in v.PagesPerNode)
                sum[nid] = sum.GetValueOrDefault(nid) + pages * v.PageSizeBytes;
        return sum;
    }
}
