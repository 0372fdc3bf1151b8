using System.Globalization;

namespace Damon.Guest.Proof;

/// <summary>One node's /sys/devices/system/node/nodeN/meminfo, in KiB ("Node 0 MemFree:   123456 kB").</summary>
public sealed class NodeMeminfo
{
    private readonly Dictionary<string, long> _kib = new(StringComparer.Ordinal);

    private NodeMeminfo(int node)
    {
        Node = node;
        foreach (string line in File.ReadLines($"/sys/devices/system/node/node{node}/meminfo"))
        {
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length >= 4 && w[^1] == "kB")
                _kib[w[2].TrimEnd(':')] = long.Parse(w[^2], CultureInfo.InvariantCulture);
        }
    }

    public int Node { get; }

    public static NodeMeminfo Read(int node) => new(node);

    public long FreeKiB => _kib["MemFree"];

    /// <summary>The page cache reclaim can take back (the file LRUs; ramfs/shmem pages are not on them).</summary>
    public long ReclaimableFileKiB => _kib["Active(file)"] + _kib["Inactive(file)"];

    /// <summary>What an allocation bound to this node could still get: free pages plus reclaimable page cache.</summary>
    public long RoomKiB => FreeKiB + ReclaimableFileKiB;

    public override string ToString() => $"node{Node}: {FreeKiB} KiB free, {ReclaimableFileKiB} KiB reclaimable page cache";
}
