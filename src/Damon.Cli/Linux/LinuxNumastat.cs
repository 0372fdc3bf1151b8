using System.Globalization;
using Damon.Linux.Metrics;
using Damon.Linux.Procfs;

namespace Damon.Cli.Linux;

/// <summary>
/// `damon numastat --backend linux`: numastat's tables of the real machine, read-only. Default:
/// numastat's per-node counters (nodeN/numastat: numa_hit, numa_miss, ...; pages shown as memory);
/// -m: the node meminfo rows, MemUsed = MemTotal − MemFree; -p PID: the process's resident memory
/// per node, summed from /proc/PID/numa_maps.
/// </summary>
internal static class LinuxNumastat
{
    public sealed record Table(string Title, List<(string Label, ulong[] Bytes)> Rows);

    private const ulong PageSize = 4096;

    private static readonly string[] Counters = ["numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"];

    public static (IReadOnlyList<int> Nodes, Table Table) System(LinuxMachine machine, bool meminfo) => LinuxErrors.Run(() =>
    {
        var nodes = NodeTopology.OnlineNodes(machine.SysRoot);
        return (nodes, meminfo ? Meminfo(machine, nodes) : Numastat(machine, nodes));
    });

    private static Table Numastat(LinuxMachine machine, IReadOnlyList<int> nodes)
    {
        var perNode = nodes.Select(n => ReadCounters(Path.Combine(NodeTopology.NodeDir(machine.SysRoot, n), "numastat"))).ToList();
        var rows = Counters.Select(c => (c, perNode.Select(d => d.GetValueOrDefault(c) * PageSize).ToArray())).ToList();
        return new Table("Per-node numastat info", rows);
    }

    private static Table Meminfo(LinuxMachine machine, IReadOnlyList<int> nodes)
    {
        var infos = nodes.Select(n => NodeTopology.ReadNodeMeminfo(machine.SysRoot, n)).ToList();
        var rows = new List<(string, ulong[])>
        {
            ("MemTotal", [.. infos.Select(i => i.MemTotalBytes)]),
            ("MemFree", [.. infos.Select(i => i.MemFreeBytes)]),
            ("MemUsed", [.. infos.Select(i => i.MemTotalBytes - Math.Min(i.MemFreeBytes, i.MemTotalBytes))]),
        };
        // Every other kB field in the kernel's order; HugePages_* are counts, not sizes.
        foreach (var field in infos[0].Fields.Keys)
            if (field is not ("MemTotal" or "MemFree" or "MemUsed") && !field.StartsWith("HugePages_", StringComparison.Ordinal))
                rows.Add((field, [.. infos.Select(i => i.Fields.GetValueOrDefault(field))]));
        return new Table("Per-node system memory usage", rows);
    }

    public static (IReadOnlyList<int> Nodes, Table Table) Process(LinuxMachine machine, int pid) => LinuxErrors.Run(() =>
    {
        var nodes = NodeTopology.OnlineNodes(machine.SysRoot);
        string pidDir = Path.Combine(machine.ProcRoot, pid.ToString(CultureInfo.InvariantCulture));
        if (!Directory.Exists(pidDir))
            throw new UserError($"-p {pid}: no such process", ExitCodes.UsageError);
        var bytes = NumaMaps.BytesPerNode(NumaMaps.Read(NumaMaps.PathOf(pid, machine.ProcRoot)));
        string comm = File.Exists(Path.Combine(pidDir, "comm")) ? File.ReadAllText(Path.Combine(pidDir, "comm")).Trim() : "?";
        var row = nodes.Select(n => bytes.GetValueOrDefault(n)).ToArray();
        return (nodes, new Table("Per-node process memory usage", [($"{pid} ({comm})", row)]));
    });

    private static Dictionary<string, ulong> ReadCounters(string path)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in LinuxFiles.ReadText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
                values[parts[0]] = LinuxFiles.ParseU64(parts[1], path, parts[0]);
        }
        return values;
    }
}
