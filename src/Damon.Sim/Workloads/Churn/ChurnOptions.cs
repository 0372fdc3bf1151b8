using Damon.Sim.Workloads.Catalog;

namespace Damon.Sim.Workloads.Churn;

/// <summary>Parameters of <see cref="ChurnWorkload"/>; defaults in docs/workloads.md.</summary>
public sealed record ChurnOptions
{
    public ulong SizeBytes { get; init; } = 1UL << 30;
    /// <summary>Share of the footprint that is hot at any time.</summary>
    public double HotFraction { get; init; } = 0.13;
    /// <summary>Share of the hot set swapped with cold memory every period.</summary>
    public double MoveFraction { get; init; } = 0.10;
    public ulong PeriodNs { get; init; } = 1_000_000_000UL;
    /// <summary>Granule of hotness: the hot set is a set of such units.</summary>
    public ulong UnitBytes { get; init; } = 2UL << 20;
    /// <summary>Share of accesses that go to the hot set.</summary>
    public double HotProb { get; init; } = 0.95;
    public double ReadFraction { get; init; } = 0.5;
    /// <summary>Thread time after the warm-up at which each thread stops; 0: never (the run's own duration ends it).</summary>
    public ulong DurationNs { get; init; }
    public bool Thp { get; init; }
    public ThreadPlacement Threads { get; init; } = ThreadPlacement.Single;
    public double ComputeNsPerAccess { get; init; } = 1.0;

    public static readonly string[] Keys =
        ["size", "hot", "move", "period", "unit", "hotprob", "read", "duration", "thp", "threads", "cpus", "cpuns"];

    public static ChurnOptions From(WorkloadArgs a)
    {
        var d = new ChurnOptions();
        var o = new ChurnOptions
        {
            SizeBytes = a.GetMappedSize("size", d.SizeBytes, 4096),
            HotFraction = a.GetFraction("hot", d.HotFraction),
            MoveFraction = a.GetFraction("move", d.MoveFraction),
            PeriodNs = a.GetDurationNs("period", d.PeriodNs),
            UnitBytes = a.GetMappedSize("unit", d.UnitBytes, 4096),
            HotProb = a.GetFraction("hotprob", d.HotProb),
            ReadFraction = a.GetFraction("read", d.ReadFraction),
            DurationNs = a.GetDurationNs("duration", d.DurationNs),
            Thp = a.GetBool("thp", false),
            Threads = ThreadPlacement.From(a),
            ComputeNsPerAccess = a.GetDouble("cpuns", d.ComputeNsPerAccess, 0, 1e9),
        };
        a.RejectUnknown("churn", Keys);
        if (o.PeriodNs == 0) throw a.Error("churn: period must be positive");
        return o;
    }
}
