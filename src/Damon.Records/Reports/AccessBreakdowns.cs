using System.Globalization;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>What <c>report access --breakdown</c> splits a region's accesses by.</summary>
public enum BreakdownKind
{
    /// <summary>The CPU the access ran on.</summary>
    Cpu,
    /// <summary>The NUMA node of that CPU (the record's cpu_to_node).</summary>
    Node,
    /// <summary>The thread id that made the access.</summary>
    Thread,
    /// <summary>Write or read.</summary>
    Rw,
}

/// <summary>
/// Reading the per-region access breakdown Damon records carry (<see cref="DamonRegion.AccessesBy"/>,
/// from the page_fault primitive's reports): shares per key for <c>report access --breakdown</c>
/// and its <c>&lt;accesses by KIND&gt;</c> keywords.
/// </summary>
public static class AccessBreakdowns
{
    public static IReadOnlyList<string> KindNames { get; } = ["cpu", "node", "thread", "rw"];

    public const string MissingMessage =
        "this record has no per-CPU/thread access breakdown (recorded with the page_table primitive); record with --sample_primitives page_fault";

    public const string MissingNodesMessage =
        "this record has no cpu_to_node map, so the node of a CPU is unknown (records of damon record on the simulator carry it); break down by cpu instead";

    /// <summary>The key of a CPU cpu_to_node does not know (a source that could not tell the CPU reports -1).</summary>
    public const int UnknownNode = -1;

    public static BreakdownKind Parse(string name) => name switch
    {
        "cpu" => BreakdownKind.Cpu,
        "node" => BreakdownKind.Node,
        "thread" => BreakdownKind.Thread,
        "rw" => BreakdownKind.Rw,
        _ => throw new ReportException($"unknown breakdown '{name}' (one of {string.Join(", ", KindNames)})"),
    };

    public static string Name(this BreakdownKind kind) => KindNames[(int)kind];

    /// <summary>
    /// Refuses records a breakdown cannot be read from: a region without one (damo's records, the
    /// page_table primitive), or for <paramref name="nodes"/> a record without cpu_to_node.
    /// </summary>
    public static void Require(IReadOnlyList<DamonRecord> records, bool nodes)
    {
        foreach (var record in records)
        {
            foreach (var snapshot in record.Snapshots)
                foreach (var region in snapshot.Regions)
                    if (region.AccessesBy is null)
                        throw new ReportException(MissingMessage, aboutRecord: true);
            if (nodes && record.CpuToNode is null && record.Snapshots.Count > 0)
                throw new ReportException(MissingNodesMessage, aboutRecord: true);
        }
    }

    /// <summary>The region's counted accesses by key of <paramref name="kind"/>, in ascending key order (rw: 0 read, 1 write).</summary>
    public static SortedDictionary<int, long> Counts(DamonAccessBreakdown by, DamonRecord record, BreakdownKind kind)
    {
        switch (kind)
        {
            case BreakdownKind.Cpu: return by.Cpus;
            case BreakdownKind.Thread: return by.Tids;
            case BreakdownKind.Rw:
                return new SortedDictionary<int, long> { [0] = by.Reads, [1] = by.Writes };
            default:
                var nodes = new SortedDictionary<int, long>();
                foreach (var (cpu, n) in by.Cpus)
                {
                    int node = record.CpuToNode is { } map && map.TryGetValue(cpu, out int nid) ? nid : UnknownNode;
                    nodes[node] = nodes.GetValueOrDefault(node) + n;
                }
                return nodes;
        }
    }

    /// <summary>
    /// The shares as the report prints them: "key share" per key, the largest first (equal ones by
    /// key), e.g. <c>101 75 %, 102 25 %</c>, <c>write 40 %, read 60 %</c>; <c>no access</c> for a
    /// region without accesses, <c>unattributed</c> for one whose accesses no report made.
    /// </summary>
    public static string Text(DamonRegion region, DamonRecord record, BreakdownKind kind, bool raw)
    {
        var by = region.AccessesBy ?? throw new ReportException(MissingMessage, aboutRecord: true);
        long total = by.NrAttributed;
        // Accesses counted while the context used page_table (a commit switching primitives in the
        // middle of a window) have no reporter.
        if (total == 0) return (region.NrAccessesSamples ?? 0) > 0 ? "unattributed" : "no access";
        var counts = Counts(by, record, kind).Where(kv => kv.Value > 0).ToList();
        // Read/write is always shown as "write, read", the order the options name them.
        IEnumerable<KeyValuePair<int, long>> ordered = kind == BreakdownKind.Rw
            ? counts.OrderByDescending(kv => kv.Key)
            : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key);
        return string.Join(", ", ordered.Select(kv => $"{KeyText(kind, kv.Key)} {DamoFormat.Percent(kv.Value * 100.0 / total, raw)}"));
    }

    private static string KeyText(BreakdownKind kind, int key) => kind switch
    {
        BreakdownKind.Rw => key == 1 ? "write" : "read",
        BreakdownKind.Node when key == UnknownNode => "unknown",
        _ => key.ToString(CultureInfo.InvariantCulture),
    };
}
