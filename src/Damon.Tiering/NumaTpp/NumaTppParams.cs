using Damon.Core.Monitoring;

namespace Damon.Tiering.NumaTpp;

/// <summary>Knobs of the <see cref="NumaTppPolicy"/>.</summary>
public sealed record NumaTppParams
{
    /// <summary>
    /// Also build paths from one socket's DRAM node to another socket's (node 0 → socket 1, node 1 →
    /// socket 0), not only from CPU-less (CXL) nodes: then DAMON also moves memory between the DRAM
    /// nodes, the job NUMA balancing does, and the two can fight.
    /// </summary>
    public bool DramPaths { get; init; }
    /// <summary>migrate_hot for regions with at least this many accesses per aggregation (of 20 samples) by the accessor's CPUs.</summary>
    public uint HotMinNrAccesses { get; init; } = 10;
    /// <summary>... and at least this age (aggregation intervals).</summary>
    public uint HotMinAge { get; init; } = 3;
    /// <summary>
    /// The DRAM-path policies' hot rule: with DRAM paths a region that went to the wrong socket (a
    /// region straddling A and B) is moved back, so the decision may come after one stable
    /// aggregation (age 1, not 3: the first moves at 300 ms instead of 500 ms) at a stricter level
    /// (14 of 20 samples, so a region the other socket uses 25 % of the time does not pass).
    /// docs/numa-tpp.md, "Initial placement".
    /// </summary>
    public static NumaTppParams WithDramPaths { get; } = new() { DramPaths = true, HotMinNrAccesses = 14, HotMinAge = 1 };
    /// <summary>The monitoring intervals and region bounds of every path's context (the page_fault primitive is added).</summary>
    public MonitoringAttrs Attrs { get; init; } = MonitoringAttrs.Default with { MinNrRegions = 100 };
    /// <summary>A per-scheme size quota per reset interval (0: none), so a path cannot flood the interconnect.</summary>
    public ulong QuotaBytes { get; init; }
    public ulong QuotaResetIntervalMs { get; init; } = 1000;
    /// <summary>
    /// Also demote: per socket DRAM node, migrate_cold to its demotion target (the CXL node) of the
    /// memory no accessor reported for <see cref="DemoteMinAge"/> aggregations.
    /// </summary>
    public bool Demote { get; init; } = true;
    /// <summary>migrate_cold for regions with no access by any accessor for at least this many aggregations.</summary>
    public uint DemoteMinAge { get; init; } = 20;
    /// <summary>A size quota per reset interval for the demotion scheme (0: none).</summary>
    public ulong DemoteQuotaBytes { get; init; }
    /// <summary>The page-fault primitive's <c>ClearStaleMarks</c> (docs/access-reports.md), as the access-report use cases run it.</summary>
    public bool ClearStaleMarks { get; init; } = true;
}
