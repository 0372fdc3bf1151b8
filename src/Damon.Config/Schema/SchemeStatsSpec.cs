using System.Globalization;
using System.Text.Json.Nodes;
using Damon.Config.Numbers;

namespace Damon.Config.Schema;

/// <summary>
/// A scheme's status-only <c>stats</c> block (damos_stat, the sysfs <c>schemes/N/stats/</c> files).
/// Never part of a parameter dump (<c>args damon</c>, <c>report damon --damon_params</c>).
/// </summary>
public sealed class SchemeStatsSpec
{
    public ulong NrTried { get; set; }
    public ulong SzTried { get; set; }
    public ulong NrApplied { get; set; }
    public ulong SzApplied { get; set; }
    public ulong SzOpsFilterPassed { get; set; }
    public ulong QtExceeds { get; set; }
    public ulong NrSnapshots { get; set; }
    public ulong MaxNrSnapshots { get; set; }

    public static SchemeStatsSpec Read(Kv kv) => new()
    {
        NrTried = kv.Nr("nr_tried"),
        SzTried = kv.Size("sz_tried"),
        NrApplied = kv.Nr("nr_applied"),
        SzApplied = kv.Size("sz_applied"),
        SzOpsFilterPassed = kv.Size("sz_ops_filter_passed"),
        QtExceeds = kv.Nr("qt_exceeds"),
        NrSnapshots = kv.Nr("nr_snapshots"),
        MaxNrSnapshots = kv.Nr("max_nr_snapshots"),
    };

    public JsonObject Write(bool raw) => new()
    {
        ["nr_tried"] = KvWrite.Num(NrTried, raw, DamoPrint.Nr),
        ["sz_tried"] = KvWrite.Num(SzTried, raw, DamoPrint.Sz),
        ["nr_applied"] = KvWrite.Num(NrApplied, raw, DamoPrint.Nr),
        ["sz_applied"] = KvWrite.Num(SzApplied, raw, DamoPrint.Sz),
        ["sz_ops_filter_passed"] = KvWrite.Num(SzOpsFilterPassed, raw, DamoPrint.Sz),
        ["qt_exceeds"] = KvWrite.Num(QtExceeds, raw, DamoPrint.Nr),
        ["nr_snapshots"] = KvWrite.Num(NrSnapshots, raw, DamoPrint.Nr),
        ["max_nr_snapshots"] = KvWrite.Num(MaxNrSnapshots, raw, DamoPrint.Nr),
    };

    /// <summary>damo's DamosStats.to_str, plus the snapshot counters damo keeps only in the key/value form.</summary>
    public List<string> ToLines(bool raw) =>
    [
        $"tried {DamoPrint.Nr(NrTried, raw)} times ({DamoPrint.Sz(SzTried, raw)})",
        $"applied {DamoPrint.Nr(NrApplied, raw)} times ({DamoPrint.Sz(SzApplied, raw)})",
        $"{DamoPrint.Sz(SzOpsFilterPassed, raw)} passed filters",
        string.Create(CultureInfo.InvariantCulture, $"quota exceeded {QtExceeds} times"),
        $"{DamoPrint.Nr(NrSnapshots, raw)} snapshots (max {DamoPrint.Nr(MaxNrSnapshots, raw)})",
    ];
}

/// <summary>One region of a scheme's status-only tried regions (sysfs <c>tried_regions/N/</c>).</summary>
public sealed class TriedRegionSpec
{
    public ulong Start { get; set; }
    public ulong End { get; set; }
    public ulong NrAccesses { get; set; }
    public ulong Age { get; set; }
    /// <summary>tried_regions/&lt;k&gt;/sz_filter_passed: bytes of the region the ops filters let through.</summary>
    public ulong SzFilterPassed { get; set; }

    public static TriedRegionSpec Read(Kv kv) => new()
    {
        Start = kv.Nr("start"),
        End = kv.Nr("end"),
        NrAccesses = kv.Nr("nr_accesses"),
        Age = kv.Nr("age"),
        // damo reads a file without it (older kernels) as 0.
        SzFilterPassed = kv.Size("sz_filter_passed"),
    };

    public JsonObject Write(bool raw) => new()
    {
        ["start"] = KvWrite.Num(Start, raw, DamoPrint.Nr),
        ["end"] = KvWrite.Num(End, raw, DamoPrint.Nr),
        ["nr_accesses"] = KvWrite.Num(NrAccesses, raw, DamoPrint.Nr),
        ["age"] = KvWrite.Num(Age, raw, DamoPrint.Nr),
        ["sz_filter_passed"] = KvWrite.Num(SzFilterPassed, raw, DamoPrint.Sz),
    };

    /// <summary>damo's DamonRegion.to_str for a tried region: the ops-filter-passed size last.</summary>
    public string ToLine(bool raw) =>
        $"{DamoPrint.AddrRange(Start, End, raw)}: nr_accesses: {DamoPrint.Nr(NrAccesses, raw)}, age: {DamoPrint.Nr(Age, raw)}, filter_passed: {DamoPrint.Sz(SzFilterPassed, raw)}";
}
