using System.Globalization;
using Damon.Linux.Procfs;

namespace Damon.Linux.Metrics;

/// <summary>HMAT's view of a node from its nearest initiators (node*/access0/initiators): ns and MB/s.</summary>
public sealed record HmatAccess(ulong? ReadLatencyNs, ulong? WriteLatencyNs, ulong? ReadBandwidthMBps, ulong? WriteBandwidthMBps);

/// <summary>
/// One NUMA node as /sys shows it, for `damon topology` and `damon numastat` of the real machine:
/// its memory (node*/meminfo), cpus (cpulist), distances to every node (distance), memory tier
/// (/sys/devices/virtual/memory_tiering/memory_tierN/nodelist) and HMAT access0 numbers.
/// </summary>
public sealed record LinuxNode(int Nid, Meminfo Mem, IReadOnlyList<int> Cpus, IReadOnlyList<int> Distances,
    int? MemoryTier, HmatAccess? Access0)
{
    public ulong TotalBytes => Mem.MemTotalBytes;
    public ulong FreeBytes => Mem.MemFreeBytes;
    public ulong ActiveBytes => Mem.ActiveBytes;
    public ulong InactiveBytes => Mem.InactiveBytes;
    public bool HasCpus => Cpus.Count > 0;
}

public static class NodeTopology
{
    public const string DefaultSysRoot = "/sys";

    public static string NodeDir(string sysRoot, int nid) =>
        Path.Combine(sysRoot, "devices/system/node", "node" + nid.ToString(CultureInfo.InvariantCulture));

    /// <summary>The online nodes (node/online), or every node* directory when that file is missing.</summary>
    public static IReadOnlyList<int> OnlineNodes(string sysRoot = DefaultSysRoot)
    {
        string dir = Path.Combine(sysRoot, "devices/system/node");
        string online = Path.Combine(dir, "online");
        if (File.Exists(online)) return KernelList.Read(online);
        if (!Directory.Exists(dir)) throw new LinuxSourceException(dir, "no such directory: the kernel shows no NUMA nodes (CONFIG_NUMA off?)");
        return Directory.EnumerateDirectories(dir, "node*")
            .Select(d => int.TryParse(Path.GetFileName(d).AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1)
            .Where(n => n >= 0).Order().ToList();
    }

    public static Meminfo ReadNodeMeminfo(string sysRoot, int nid) => Meminfo.Read(Path.Combine(NodeDir(sysRoot, nid), "meminfo"));

    public static IReadOnlyList<LinuxNode> Read(string sysRoot = DefaultSysRoot)
    {
        var tiers = MemoryTiers(sysRoot);
        var nodes = new List<LinuxNode>();
        foreach (int nid in OnlineNodes(sysRoot))
        {
            string dir = NodeDir(sysRoot, nid);
            string cpulist = Path.Combine(dir, "cpulist");
            var cpus = File.Exists(cpulist) ? KernelList.Read(cpulist) : [];
            string distPath = Path.Combine(dir, "distance");
            var dist = LinuxFiles.ReadText(distPath).Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => (int)LinuxFiles.ParseU64(d, distPath, "distance")).ToList();
            nodes.Add(new LinuxNode(nid, ReadNodeMeminfo(sysRoot, nid), cpus, dist,
                tiers.TryGetValue(nid, out int tier) ? tier : null, ReadAccess0(dir)));
        }
        return nodes;
    }

    /// <summary>
    /// cpu_to_node() of the machine from every online node's cpulist, what records carry for breakdowns by node
    /// (damo's records have no such field; ours is optional); null when the kernel shows no NUMA nodes.
    /// </summary>
    public static IReadOnlyDictionary<int, int>? CpuToNode(string sysRoot = DefaultSysRoot)
    {
        if (!Directory.Exists(Path.Combine(sysRoot, "devices/system/node"))) return null;
        var map = new SortedDictionary<int, int>();
        foreach (int nid in OnlineNodes(sysRoot))
        {
            string cpulist = Path.Combine(NodeDir(sysRoot, nid), "cpulist");
            if (!File.Exists(cpulist)) continue;
            foreach (int cpu in KernelList.Read(cpulist)) map[cpu] = nid;
        }
        return map;
    }

    /// <summary>node → memory tier id (memory_tier4 is id 4; a lower id is a faster tier).</summary>
    public static IReadOnlyDictionary<int, int> MemoryTiers(string sysRoot = DefaultSysRoot)
    {
        var map = new Dictionary<int, int>();
        string dir = Path.Combine(sysRoot, "devices/virtual/memory_tiering");
        if (!Directory.Exists(dir)) return map;
        foreach (var tierDir in Directory.EnumerateDirectories(dir, "memory_tier*"))
        {
            if (!int.TryParse(Path.GetFileName(tierDir).AsSpan("memory_tier".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int tier))
                continue;
            string nodelist = Path.Combine(tierDir, "nodelist");
            if (!File.Exists(nodelist)) continue;
            foreach (int nid in KernelList.Read(nodelist)) map[nid] = tier;
        }
        return map;
    }

    private static HmatAccess? ReadAccess0(string nodeDir)
    {
        string dir = Path.Combine(nodeDir, "access0/initiators");
        if (!Directory.Exists(dir)) return null;
        ulong? Field(string name)
        {
            string p = Path.Combine(dir, name);
            return File.Exists(p) ? LinuxFiles.ParseU64(LinuxFiles.ReadText(p), p, name) : null;
        }
        return new HmatAccess(Field("read_latency"), Field("write_latency"), Field("read_bandwidth"), Field("write_bandwidth"));
    }
}
