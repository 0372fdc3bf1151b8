namespace Damon.Host.Metrics;

/// <summary>A node's memory now, with the bytes that migrated in and out of it since start.</summary>
public sealed record NodeUsage(int Node, int Tier, ulong TotalBytes, ulong UsedBytes, ulong FreeBytes, ulong ActiveBytes,
    ulong MigratedInBytes, ulong MigratedOutBytes);

/// <summary>
/// Every node's memory, plus the machine-wide promotion, demotion and reclaim since start
/// (simulator: its counters; Linux: vmstat's pgpromote_success, pgdemote_*, pgsteal_*).
/// </summary>
public sealed record NodeMetrics(IReadOnlyList<NodeUsage> Nodes, ulong PromotedBytes, ulong DemotedBytes, ulong ReclaimedBytes)
{
    public ulong TotalBytes => Nodes.Aggregate(0UL, (a, n) => a + n.TotalBytes);
}

/// <summary>Resident pages of one process per node (numastat -p).</summary>
public sealed record ProcessNodeUsage(int Pid, string Name, ulong[] PagesPerNode);
