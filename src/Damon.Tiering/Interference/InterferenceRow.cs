namespace Damon.Tiering.Interference;

/// <summary>
/// One policy's result, as <c>damon bench reports --json</c> writes it in <c>interference[]</c>:
/// faults misattributed (DAMON counting a NUMA-balancing fault plus NUMA balancing handling a DAMON
/// fault), DAMON's hot-set recall, bytes NUMA balancing promoted, and the workload's runtime
/// normalised to the same run with NUMA balancing alone (no DAMON).
/// </summary>
public sealed record InterferenceRow(string Policy, ulong MisattributedFaults, double Recall, ulong PromotedBytes, double NormRuntime);

/// <summary>The rest of a policy's run: the split of the misattribution, what was lost, the fault overhead, the switch cost.</summary>
public sealed record InterferenceDetail
{
    public required string Policy { get; init; }
    /// <summary>Faults the shared protection took (each access to a marked folio, once).</summary>
    public ulong NrFaults { get; init; }
    public ulong DamonCountedNumaFaults { get; init; }
    public ulong NumaHandledDamonFaults { get; init; }
    public ulong DamonFaultsLost { get; init; }
    public ulong NumaFaultsLost { get; init; }
    /// <summary>DAMON's hot-set precision over the same snapshots as the recall.</summary>
    public double Precision { get; init; }
    public double MeanNrRegions { get; init; }
    /// <summary>Fault stall charged to the workload (entry, exit, synchronous promotion).</summary>
    public ulong FaultStallNs { get; init; }
    /// <summary><see cref="FaultStallNs"/> as a share of the workload's simulated time.</summary>
    public double FaultOverhead { get; init; }
    public double NsPerAccess { get; init; }
    public ulong DemotedBytes { get; init; }
    public int NrSwitches { get; init; }
    /// <summary>Marks the run-time isolation switches removed.</summary>
    public ulong MarksRemoved { get; init; }
    /// <summary>Page-table walking those removals cost (off the workload's threads).</summary>
    public ulong SwitchCostNs { get; init; }
    public double WallSeconds { get; init; }
}

/// <summary>Every policy's row and detail, and the NUMA-balancing-alone run they are normalised to.</summary>
public sealed record FaultInterferenceResult(
    IReadOnlyList<InterferenceRow> Rows,
    IReadOnlyList<InterferenceDetail> Details,
    InterferenceDetail Baseline,
    ulong BaselinePromotedBytes);
