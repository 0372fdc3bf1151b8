namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// One placement policy's run of <see cref="SocketSplitWorkload"/>. Remote accesses are those a
/// thread made to a node other than its socket's; the setup (first writes, spinning) is left out.
/// </summary>
/// <param name="RemoteRatio">Remote share of the run phase's accesses.</param>
/// <param name="RemoteRatioSettled">
/// Remote share once placement has settled: over the second half of the time from the end of the
/// setup until the first thread finished (so every thread counts for its share).
/// </param>
/// <param name="RuntimeS">Simulated time from the end of the setup until the last thread finished its accesses.</param>
/// <param name="MigratedBytes">Bytes moved between the two nodes, either way.</param>
/// <param name="BNodeBytes">Bytes of region B on socket 1's node at the end; <paramref name="ANodeBytes"/> of A on socket 0's.</param>
/// <param name="Faults">DAMON page-fault primitive faults or NUMA hint faults taken by the application.</param>
public sealed record PlacementRun(
    string Policy,
    double RemoteRatio,
    double RemoteRatioSettled,
    double RuntimeS,
    ulong MigratedBytes,
    ulong ANodeBytes,
    ulong BNodeBytes,
    ulong Faults);

/// <summary>The three runs of the use case: nothing moves (before), DAMON per-CPU schemes (after), NUMA balancing.</summary>
public sealed record PlacementResult(PlacementRun Before, PlacementRun Damon, PlacementRun NumaBalancing, ulong RegionBytes);
