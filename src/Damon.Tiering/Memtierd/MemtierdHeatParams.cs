namespace Damon.Tiering.Memtierd;

/// <summary>
/// memtierd's heat policy (tiering.md §2.15 [A]): ranges of 256 pages, a heatmap decaying
/// exponentially and capped at HeatMax, quantised into heat classes mapped to nodes, and a mover
/// capped at 200 MiB/s working every 20 ms (mover.go counts Bandwidth in MiB). The tracker interval,
/// half-life, class count and class→node map are the policy configuration a user writes; the
/// values here are this harness's choice (memtierd's own defaults: idle-page tracker every 5 s over
/// 512-page regions counting at most 1 accessed page each, HeatRetention 0.9513/s, 10 classes,
/// mover 100 MiB/s every 10 ms). The harness counts every accessed page of a range (MaxCountPerRegion 0).
/// </summary>
public sealed record MemtierdHeatParams
{
    public uint RangePages { get; init; } = 256;
    public ulong TrackerIntervalMs { get; init; } = 500;
    public ulong HalfLifeMs { get; init; } = 2000;
    /// <summary>HeatMax in accessed pages per range (memtierd's 1.0 per page × 256 pages): the cap and the top of the class scale.</summary>
    public double HeatMax { get; init; } = 256;
    public int HeatClasses { get; init; } = 4;
    /// <summary>Classes at or above this one belong on the fast node, the rest on the slow node.</summary>
    public int FastFromClass { get; init; } = 1;
    public ulong MoverMBps { get; init; } = 200;
    public ulong MoverIntervalMs { get; init; } = 20;
}
