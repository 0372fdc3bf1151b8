namespace Damon.Tiering.Harness;

/// <summary>One policy's outcome on one scenario (the JSON schema's "results" entries).</summary>
public sealed record PolicyResult
{
    public required string Scenario { get; init; }
    public required string Policy { get; init; }
    /// <summary>Application time per access against the all-fast machine's (1.00 = as if everything were fast).</summary>
    public double NormalizedRuntime { get; init; }
    public double NsPerAccess { get; init; }
    public ulong NrAccesses { get; init; }
    /// <summary>Share of the application's accesses served by the slow tier (STAR).</summary>
    public double SlowTierAccessRatio { get; init; }
    public ulong BytesPromoted { get; init; }
    public ulong BytesDemoted { get; init; }
    /// <summary>Pages the policy or the kernel migrated a second time between the fast and the slow tier (fast → slow → fast or the reverse), every migration seen as it happens (<see cref="PingPongCounter"/>).</summary>
    public ulong PingPongPages { get; init; }
    /// <summary>Mean time after each phase change until the fast-tier hit ratio reached 95 % of the phase's late level; null without phase changes.</summary>
    public double? ConvergeMs { get; init; }
    /// <summary>Host CPU time of the policy's own work (DAMON engine, scans, fault handling) per simulated second.</summary>
    public double MonitorCpuMsPerSimSec { get; init; }
    /// <summary>Simulated background work (async migration, scans) per simulated second.</summary>
    public double BackgroundMsPerSimSec { get; init; }
    public double SimulatedSeconds { get; init; }
    public double WallSeconds { get; init; }
    /// <summary>(simulated ms, fast-tier hit ratio) per step.</summary>
    public required IReadOnlyList<HitSample> HitRatio { get; init; }
    /// <summary>Per-step node, migration and DAMOS series (null for results not from <see cref="TieringRun"/>).</summary>
    public RunSeries? Series { get; init; }
    /// <summary>Accessor scenarios' results (remote access ratio, bytes on the accessor's node, socket ping-pong); null elsewhere.</summary>
    public AccessorResult? Accessor { get; init; }
    /// <summary>The interleave model's prediction (oracle-interleave only); null elsewhere.</summary>
    public Damon.Tiering.InterleaveOracle.SplitPrediction? SplitModel { get; init; }
}

public readonly record struct HitSample(double TimeMs, double FastHitRatio);
