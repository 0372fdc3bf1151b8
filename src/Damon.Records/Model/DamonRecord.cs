namespace Damon.Records.Model;

/// <summary>
/// Monitoring results of one kdamond / context / (scheme) / target combination, as damo stores
/// them: a record file is a list of these.
/// </summary>
public sealed class DamonRecord
{
    public const string DataSourceUnknown = "unknown";
    public const string DataSourceDamonStat = "damon_stat";

    public int? KdamondIdx { get; set; }
    public int? ContextIdx { get; set; }
    public int? SchemeIdx { get; set; }
    /// <summary>DAMON's target id; vaddr ids are kernel pointers, hence unsigned 64-bit. Null for paddr snapshots.</summary>
    public ulong? TargetId { get; set; }
    /// <summary>Null in old records and in perf_script traces, which do not carry intervals.</summary>
    public DamonIntervals? Intervals { get; set; }
    public List<DamosFilter> SchemeFilters { get; set; } = [];
    public List<DamonSnapshot> Snapshots { get; set; } = [];
    public string DataSource { get; set; } = DataSourceUnknown;
    /// <summary>
    /// cpu_to_node() of the machine the record was made on (record key <c>cpu_to_node</c>, a Damon
    /// extension): what <c>report access --breakdown node</c> maps each CPU of a breakdown with. Null
    /// when the recorder did not write it.
    /// </summary>
    public SortedDictionary<int, int>? CpuToNode { get; set; }

    /// <summary>Target id the way damo prints it (Python's str of an int or None).</summary>
    public string TargetIdText => TargetId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None";

    public DamonRecord Clone() => new()
    {
        KdamondIdx = KdamondIdx,
        ContextIdx = ContextIdx,
        SchemeIdx = SchemeIdx,
        TargetId = TargetId,
        Intervals = Intervals,
        SchemeFilters = [.. SchemeFilters],
        Snapshots = Snapshots.ConvertAll(s => s.Clone()),
        DataSource = DataSource,
        CpuToNode = CpuToNode is null ? null : new SortedDictionary<int, int>(CpuToNode),
    };
}
