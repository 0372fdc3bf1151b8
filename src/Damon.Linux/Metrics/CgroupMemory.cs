using System.Globalization;
using Damon.Linux.Procfs;

namespace Damon.Linux.Metrics;

/// <summary>Which cgroup hierarchy holds the memory controller, and where.</summary>
public enum CgroupMemoryVersion { None, V1, V2 }

/// <summary>
/// The memory cgroup hierarchy of a machine. cgroup v2 (unified) puts memory at the cgroup root;
/// a hybrid host (v1 controllers, cgroup2 at /sys/fs/cgroup/unified without memory) keeps memory
/// under v1's /sys/fs/cgroup/memory. The formats differ: v2 memory.numa_stat is
/// "anon N0=bytes N1=bytes", v1 is "anon=pages N0=pages N1=pages".
/// </summary>
public sealed record CgroupMemoryHierarchy(CgroupMemoryVersion Version, string Root, string Detail)
{
    public const string DefaultCgroupRoot = "/sys/fs/cgroup";

    public static CgroupMemoryHierarchy Detect(string cgroupRoot = DefaultCgroupRoot)
    {
        if (HasMemoryController(Path.Combine(cgroupRoot, "cgroup.controllers")))
            return new(CgroupMemoryVersion.V2, cgroupRoot, "cgroup v2 at " + cgroupRoot);
        string v1 = Path.Combine(cgroupRoot, "memory");
        if (File.Exists(Path.Combine(v1, "memory.numa_stat")) || File.Exists(Path.Combine(v1, "memory.stat")))
            return new(CgroupMemoryVersion.V1, v1, $"cgroup v1 memory controller at {v1} (hybrid layout)");
        string unified = Path.Combine(cgroupRoot, "unified");
        if (HasMemoryController(Path.Combine(unified, "cgroup.controllers")))
            return new(CgroupMemoryVersion.V2, unified, "cgroup v2 at " + unified);
        return new(CgroupMemoryVersion.None, cgroupRoot,
            $"no memory controller under {cgroupRoot}: neither cgroup.controllers listing 'memory' nor a v1 memory/ hierarchy");
    }

    private static bool HasMemoryController(string controllers) =>
        File.Exists(controllers) && LinuxFiles.ReadText(controllers).Split(' ', '\n').Contains("memory");

    /// <summary>The directory of the cgroup at <paramref name="cgroupPath"/> ("/" is the root).</summary>
    public string DirOf(string cgroupPath) => Path.Combine(Root, cgroupPath.TrimStart('/'));
}

/// <summary>A cgroup's memory.numa_stat: per item (anon, file, active_anon, ...) the bytes on each node.</summary>
public sealed class CgroupNumaStat(IReadOnlyDictionary<string, IReadOnlyDictionary<int, ulong>> items, CgroupMemoryVersion version)
{
    public const ulong PageSize = 4096;

    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, ulong>> Items { get; } = items;
    public CgroupMemoryVersion Version { get; } = version;

    public ulong BytesOn(string item, int nid) => Items.TryGetValue(item, out var n) ? n.GetValueOrDefault(nid) : 0;

    /// <summary>
    /// The memcg's LRU bytes on a node, as damos_get_node_memcg_used_bp counts them: active and
    /// inactive anon and file. v1 numa_stat has no active/inactive split: its anon and file are
    /// the LRU totals already.
    /// </summary>
    public ulong LruBytesOn(int nid) => Version == CgroupMemoryVersion.V1
        ? BytesOn("anon", nid) + BytesOn("file", nid)
        : BytesOn("active_anon", nid) + BytesOn("inactive_anon", nid) + BytesOn("active_file", nid) + BytesOn("inactive_file", nid);

    public static CgroupNumaStat Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    /// <summary>Either format; v1 is told by "item=pages" as the first field, and its pages become bytes.</summary>
    public static CgroupNumaStat Parse(string text, string path)
    {
        var items = new Dictionary<string, IReadOnlyDictionary<int, ulong>>(StringComparer.Ordinal);
        var version = CgroupMemoryVersion.V2;
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string item;
            ulong mult = 1;
            int eq0 = f[0].IndexOf('=');
            if (eq0 > 0)
            {
                version = CgroupMemoryVersion.V1;
                item = f[0][..eq0];
                mult = PageSize;
            }
            else
            {
                item = f[0];
            }
            var nodes = new Dictionary<int, ulong>();
            for (int i = 1; i < f.Length; i++)
            {
                var kv = f[i];
                if (kv.Length < 3 || kv[0] != 'N' || kv.IndexOf('=') < 2
                    || !int.TryParse(kv.AsSpan(1, kv.IndexOf('=') - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int nid)
                    || !ulong.TryParse(kv.AsSpan(kv.IndexOf('=') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
                    throw new LinuxSourceException(path, $"line {lineNo}: {item}: expected N<node>=<value>, found '{kv}'");
                nodes[nid] = v * mult;
            }
            items[item] = nodes;
        }
        return new CgroupNumaStat(items, version);
    }
}

/// <summary>A cgroup's memory.stat ("anon 123", v1 "rss 123"), item → value (bytes for sizes).</summary>
public static class CgroupMemoryStat
{
    public static IReadOnlyDictionary<string, ulong> Read(string path) => Parse(LinuxFiles.ReadText(path), path);

    public static IReadOnlyDictionary<string, ulong> Parse(string text, string path) => NameValueLines.Parse(text, path);
}
