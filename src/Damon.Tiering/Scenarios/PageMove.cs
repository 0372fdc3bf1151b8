namespace Damon.Tiering.Scenarios;

/// <summary>
/// A migratepages(8) of one workload part: at <see cref="AtUs"/> of simulated time every page its
/// processes have mapped moves to <see cref="Node"/> (as far as the node has room).
/// </summary>
public sealed record PageMove(ulong AtUs, int Node);
