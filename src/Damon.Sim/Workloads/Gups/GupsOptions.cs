using Damon.Sim.Workloads.Catalog;

namespace Damon.Sim.Workloads.Gups;

/// <summary>Which of HeMem's GUPS loops to run.</summary>
public enum GupsPattern
{
    /// <summary>microbenchmarks/gups.c: 8 + (r mod 4) hot-set updates, then one update anywhere (≈90.5 % hot).</summary>
    Burst,
    /// <summary>microbenchmarks/gups-hotset-move.c: each update hits the hot set with probability HotProb.</summary>
    Prob,
}

/// <summary>Parameters of <see cref="GupsWorkload"/>; defaults in docs/workloads.md.</summary>
public sealed record GupsOptions
{
    public ulong SizeBytes { get; init; } = 1UL << 30;
    public ulong HotBytes { get; init; } = (1UL << 30) / 10;
    public ulong EltBytes { get; init; } = 8;
    public GupsPattern Pattern { get; init; } = GupsPattern.Burst;
    public double HotProb { get; init; } = 0.9;
    /// <summary>Thread-local time after which the first <see cref="MoveFraction"/> of the hot set moves past its end; 0: never.</summary>
    public ulong MoveAtNs { get; init; }
    public double MoveFraction { get; init; } = 0.25;
    /// <summary>Updates per thread; 0: unlimited (the duration ends the run).</summary>
    public ulong UpdatesPerThread { get; init; }
    /// <summary>Thread time after the warm-up at which each thread stops; 0: never (the run's own duration ends it).</summary>
    public ulong DurationNs { get; init; }
    /// <summary>Write every page once before the updates, as HeMem's untimed first pass / MAP_POPULATE does.</summary>
    public bool Populate { get; init; } = true;
    public bool Thp { get; init; }
    public ThreadPlacement Threads { get; init; } = ThreadPlacement.Single;
    public double ComputeNsPerAccess { get; init; } = 1.0;

    public static readonly string[] Keys =
        ["size", "hot", "elt", "pattern", "hotprob", "move", "movefrac", "updates", "duration", "populate", "thp", "threads", "cpus", "cpuns"];

    public static GupsOptions From(WorkloadArgs a)
    {
        var d = new GupsOptions();
        ulong size = a.GetMappedSize("size", d.SizeBytes, 4096);
        var o = new GupsOptions
        {
            SizeBytes = size,
            HotBytes = a.GetSizeOrPercent("hot", size, 0.10),
            EltBytes = a.GetOperationSize("elt", d.EltBytes),
            Pattern = a.GetString("pattern", "burst").ToLowerInvariant() switch
            {
                "burst" => GupsPattern.Burst,
                "prob" => GupsPattern.Prob,
                var p => throw a.Error($"gups: pattern='{p}' is not burst or prob"),
            },
            HotProb = a.GetFraction("hotprob", d.HotProb),
            MoveAtNs = a.GetDurationNs("move", 0),
            MoveFraction = a.GetFraction("movefrac", d.MoveFraction),
            UpdatesPerThread = (ulong)a.GetInt("updates", 0, 0),
            DurationNs = a.GetDurationNs("duration", d.DurationNs),
            Populate = a.GetBool("populate", d.Populate),
            Thp = a.GetBool("thp", false),
            Threads = ThreadPlacement.From(a),
            ComputeNsPerAccess = a.GetDouble("cpuns", d.ComputeNsPerAccess, 0, 1e9),
        };
        a.RejectUnknown("gups", Keys);
        return o;
    }
}
