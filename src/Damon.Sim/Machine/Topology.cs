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
    public static string Format(MachineSpec spec, Func<int, ulong>? freeBytes = null) =>
        Format([.. spec.Nodes.Select(node => new NodeRow(node.Id,
                [.. spec.Sockets.Where(s => s.Node == node.Id).SelectMany(s => s.Cpus).Order()],
                node.CapacityBytes, freeBytes?.Invoke(node.Id) ?? node.CapacityBytes))],
            spec.Distances);

    /// <summary>One node as numactl shows it: id, cpus, size and free memory.</summary>
    public sealed record NodeRow(int Id, IReadOnlyList<int> Cpus, ulong SizeBytes, ulong FreeBytes);

    /// <summary>Any machine's nodes (the real one's from sysfs too) with <paramref name="distances"/>[i][j] from node i to node j, by position.</summary>
    public static string Format(IReadOnlyList<NodeRow> nodes, IReadOnlyList<IReadOnlyList<int>> distances)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        int n = nodes.Count;
        sb.Append(inv, $"available: {n} nodes (0-{(n == 0 ? 0 : nodes.Max(x => x.Id))})\n");
        foreach (var node in nodes)
        {
            sb.Append(inv, $"node {node.Id} cpus:");
            foreach (int c in node.Cpus)
                sb.Append(inv, $" {c}");
            sb.Append('\n');
            sb.Append(inv, $"node {node.Id} size: {node.SizeBytes >> 20} MB\n");
            sb.Append(inv, $"node {node.Id} free: {node.FreeBytes >> 20} MB\n");
        }
        sb.Append("node distances:\n");
        sb.Append("node ");
        foreach (var node in nodes)
            sb.Append(inv, $"{node.Id,3} ");
        sb.Append('\n');
        for (int i = 0; i < n; i++)
        {
            sb.Append(inv, $"{nodes[i].Id,3}: ");
            for (int j = 0; j < n; j++)
                sb.Append(inv, $"{(j < distances[i].Count ? distances[i][j] : 0),3} ");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
