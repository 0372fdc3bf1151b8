using System.Globalization;
using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Linux.Backend;

/// <summary>
/// The physical memory map of the running system: the top-level "System RAM" resources of
/// /proc/iomem (addresses read as 0 without root, as the kernel hides them), and each node's span
/// from the memory blocks linked under /sys/devices/system/node/nodeN (block index × the block
/// size of /sys/devices/system/memory/block_size_bytes).
/// </summary>
public sealed class ProcIomemLayout(string procRoot = "/proc", string sysRoot = "/sys") : IMemoryLayout
{
    public IReadOnlyList<AddrRange> SystemRamRanges() => Parse(File.ReadAllText(Path.Combine(procRoot, "iomem")));

    /// <summary>Top-level (unindented) "System RAM" lines, "start-end : System RAM" with an inclusive hex end.</summary>
    public static IReadOnlyList<AddrRange> Parse(string iomem)
    {
        var ranges = new List<AddrRange>();
        foreach (var line in iomem.Split('\n'))
        {
            if (line.Length == 0 || line[0] == ' ')
                continue;
            int colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (colon < 0 || line[(colon + 3)..].Trim() != "System RAM")
                continue;
            var bounds = line[..colon].Trim().Split('-');
            if (bounds.Length == 2
                && ulong.TryParse(bounds[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong s)
                && ulong.TryParse(bounds[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong e)
                && e > s)
                ranges.Add(new AddrRange(s, e + 1));
        }
        return ranges;
    }

    public bool TryGetNodeSpan(int nid, out AddrRange span)
    {
        span = default;
        string dir = Path.Combine(sysRoot, "devices/system/node", $"node{nid}");
        string blockSizePath = Path.Combine(sysRoot, "devices/system/memory/block_size_bytes");
        if (!Directory.Exists(dir) || !File.Exists(blockSizePath))
            return false;
        ulong blockSz = ulong.Parse(File.ReadAllText(blockSizePath).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        ulong lo = ulong.MaxValue, hi = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir, "memory*"))
        {
            var name = Path.GetFileName(entry);
            if (!ulong.TryParse(name.AsSpan("memory".Length), NumberStyles.None, CultureInfo.InvariantCulture, out ulong block))
                continue;
            lo = Math.Min(lo, block * blockSz);
            hi = Math.Max(hi, (block + 1) * blockSz);
        }
        if (hi == 0)
            return false;
        span = new AddrRange(lo, hi);
        return true;
    }
}
