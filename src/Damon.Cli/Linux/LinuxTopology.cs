using System.Globalization;
using System.Text;
using System.Text.Json;
using Damon.Linux.Metrics;
using Damon.Sim.Machine;

namespace Damon.Cli.Linux;

/// <summary>
/// `damon topology --backend linux`: the real machine's nodes from sysfs, read-only: numactl
/// --hardware's layout (cpus, size, free, distances), then each node's memory tier and the HMAT
/// access0 numbers the kernel shows (latency in ns, bandwidth in MB/s, from the nearest initiators).
/// </summary>
internal static class LinuxTopology
{
    public static IReadOnlyList<LinuxNode> Read(LinuxMachine machine) => LinuxErrors.Run(() => NodeTopology.Read(machine.SysRoot));

    public static string Format(IReadOnlyList<LinuxNode> nodes)
    {
        var sb = new StringBuilder(Topology.Format(
            [.. nodes.Select(n => new Topology.NodeRow(n.Nid, n.Cpus, n.TotalBytes, n.FreeBytes))],
            [.. nodes.Select(n => n.Distances)]));
        var inv = CultureInfo.InvariantCulture;
        foreach (var n in nodes)
        {
            sb.Append(inv, $"node {n.Nid} memory tier: {(n.MemoryTier is int t ? t.ToString(inv) : "-")}");
            if (n.Access0 is { } a)
                sb.Append(inv, $"; access0: read {Ns(a.ReadLatencyNs)} {MBps(a.ReadBandwidthMBps)}, write {Ns(a.WriteLatencyNs)} {MBps(a.WriteBandwidthMBps)}");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Ns(ulong? v) => v is ulong x ? string.Create(CultureInfo.InvariantCulture, $"{x} ns") : "- ns";

    private static string MBps(ulong? v) => v is ulong x ? string.Create(CultureInfo.InvariantCulture, $"{x} MB/s") : "- MB/s";

    public static void WriteJson(Stream output, IReadOnlyList<LinuxNode> nodes)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("name", "linux");
        w.WriteStartArray("nodes");
        foreach (var n in nodes)
        {
            w.WriteStartObject();
            w.WriteNumber("id", n.Nid);
            if (n.MemoryTier is int tier) w.WriteNumber("memory_tier", tier);
            else w.WriteNull("memory_tier");
            w.WriteStartArray("cpus");
            foreach (int c in n.Cpus) w.WriteNumberValue(c);
            w.WriteEndArray();
            w.WriteNumber("size_bytes", n.TotalBytes);
            w.WriteNumber("free_bytes", n.FreeBytes);
            Field(w, "read_latency_ns", n.Access0?.ReadLatencyNs);
            Field(w, "write_latency_ns", n.Access0?.WriteLatencyNs);
            Field(w, "read_bandwidth_mbps", n.Access0?.ReadBandwidthMBps);
            Field(w, "write_bandwidth_mbps", n.Access0?.WriteBandwidthMBps);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("distances");
        foreach (var n in nodes)
        {
            w.WriteStartArray();
            foreach (var d in n.Distances) w.WriteNumberValue(d);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Field(Utf8JsonWriter w, string name, ulong? v)
    {
        if (v is ulong x) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }
}
