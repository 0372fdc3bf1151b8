namespace Damon.Tiering.Memtierd;

/// <summary>
/// memtierd's heat policy (tiering.md §2.15 [A]): ranges of 256 pages, a heatmap decaying
/// exponentially, quantised into heat classes mapped to nodes, and a mover capped at 200 MB/s
/// working every 20 ms. The tracker interval, half-life, class count and class→node map are the
/// policy configuration a user writes; the values here are this harness's choice.
/// </summary>
public sealed record MemtierdHeatParams
{
    public uint RangePages { get; init; } = 256;
    public ulong TrackerIntervalMs { get; init; } = 500;
    public ulong HalfLifeMs { get; init; } = 2000;
    /// <summary>Heat at which a range reaches the top class (accessed pages per tracker interval, accumulated).</summary>
    public double HeatMax { get; init; } = 256;
    public int HeatClasses { get; init; } = 4;
    /// <summary>Classes at or above this one belong on the fast node, the rest on the slow node.</summary>
    public int FastFromClass { get; init; } = 1;
    public ulong MoverMBps { get; init; } = 200;
    public ulong MoverIntervalMs { get; init; } = 20;
}
