using Damon.Sim.Workloads.Catalog;

namespace Damon.Sim.Workloads.Gaussian;

/// <summary>Parameters of <see cref="GaussianWorkload"/>; defaults in docs/workloads.md.</summary>
public sealed record GaussianOptions
{
    public ulong SizeBytes { get; init; } = 1UL << 30;
    /// <summary>Centre of the distribution as a fraction of the footprint.</summary>
    public double Mean { get; init; } = 0.5;
    /// <summary>Standard deviation as a fraction of the footprint.</summary>
    public double Sigma { get; init; } = 0.125;
    /// <summary>Share of accesses that are reads; pmbench as used for NUMA-balancing tiering ran 80:20.</summary>
    public double ReadFraction { get; init; } = 0.8;
    public ulong AccessesPerThread { get; init; }
    /// <summary>Thread time after the warm-up at which each thread stops; 0: never (the run's own duration ends it).</summary>
    public ulong DurationNs { get; init; }
    public bool Thp { get; init; }
    public ThreadPlacement Threads { get; init; } = ThreadPlacement.Single;
    public double ComputeNsPerAccess { get; init; } = 1.0;

    public static readonly string[] Keys = ["size", "mean", "sigma", "read", "accesses", "duration", "thp", "threads", "cpus", "cpuns"];

    public static GaussianOptions From(WorkloadArgs a)
    {
        var d = new GaussianOptions();
        var o = new GaussianOptions
        {
            SizeBytes = a.GetMappedSize("size", d.SizeBytes, 4096),
            Mean = a.GetFraction("mean", d.Mean),
            Sigma = a.GetDouble("sigma", d.Sigma, 1e-9, 100),
            ReadFraction = a.GetFraction("read", d.ReadFraction),
            AccessesPerThread = (ulong)a.GetInt("accesses", 0, 0),
            DurationNs = a.GetDurationNs("duration", d.DurationNs),
            Thp = a.GetBool("thp", false),
            Threads = ThreadPlacement.From(a),
            ComputeNsPerAccess = a.GetDouble("cpuns", d.ComputeNsPerAccess, 0, 1e9),
        };
        a.RejectUnknown("gauss", Keys);
        return o;
    }
}
