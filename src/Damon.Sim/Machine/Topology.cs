using System.Globalization;
using System.Text;

namespace Damon.Sim.Machine;

/// <summary>The machine as <c>numactl --hardware</c> prints it (numactl.c's hardware() and print_distances()).</summary>
public static class Topology
{
    /// <summary>
    /// <paramref name="freeBytes"/> gives each node's free memory (a running machine's); null
    /// prints every node as entirely free.
    /// </summary>
    public static string Format(MachineSpec spec, Func<int, ulong>? freeBytes = null)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        int n = spec.Nodes.Count;
        sb.Append(inv, $"available: {n} nodes (0-{n - 1})\n");
        foreach (var node in spec.Nodes)
        {
            var cpus = spec.Sockets.Where(s => s.Node == node.Id).SelectMany(s => s.Cpus).Order();
            sb.Append(inv, $"node {node.Id} cpus:");
            foreach (int c in cpus)
                sb.Append(inv, $" {c}");
            sb.Append('\n');
            sb.Append(inv, $"node {node.Id} size: {node.CapacityBytes >> 20} MB\n");
            ulong free = freeBytes?.Invoke(node.Id) ?? node.CapacityBytes;
            sb.Append(inv, $"node {node.Id} free: {free >> 20} MB\n");
        }
        sb.Append("node distances:\n");
        sb.Append("node ");
        for (int i = 0; i < n; i++)
            sb.Append(inv, $"{i,3} ");
        sb.Append('\n');
        for (int i = 0; i < n; i++)
        {
            sb.Append(inv, $"{i,3}: ");
            for (int j = 0; j < n; j++)
                sb.Append(inv, $"{spec.Distances[i][j],3} ");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
