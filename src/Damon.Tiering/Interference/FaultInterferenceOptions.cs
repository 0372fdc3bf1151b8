using Damon.Core.Monitoring;
using Damon.Sim.Machine;
using Damon.Sim.Workloads.Gups;
using Damon.Tiering.Harness;
using Damon.Tiering.NumaBalancing;

namespace Damon.Tiering.Interference;

/// <summary>
/// The interference study's set-up: the harness's scaled two-tier machine (256 MiB fast, 1 GiB
/// slow), one GUPS thread over 512 MiB with a 32 MiB hot set taking 99 % of the updates, all of it
/// on the slow node at the start; NUMA balancing at the kernel's defaults; one vaddr DAMON context
/// at the default attributes (5 ms / 100 ms, 10..1000 regions) on the process, its page-fault
/// primitive clearing unreached marks each sample. At GUPS's usual 90 % every cold page is touched
/// within NUMA balancing's 1 s hot threshold and NUMA balancing alone thrashes (1.7 GiB promoted
/// through a 256 MiB node); kept marks make DAMON alone see most cold regions hot (precision 0.17),
/// which would hide what interference adds.
/// </summary>
public sealed record FaultInterferenceOptions
{
    public const ulong MiB = 1UL << 20;

    public ulong Seed { get; init; } = 42;
    // The flat model: the study counts faults that each side takes from the other's protection,
    // and its invariants (no promotion leaves the workload slower than the baseline) were set on
    // it; with caches on, LLC hits blur that runtime comparison (docs/simulator.md, "Caches and TLBs").
    public MachineSpec Machine { get; init; } = ScenarioCatalog.Machine() with { Caches = false };
    public GupsOptions Workload { get; init; } = new()
    {
        SizeBytes = 512 * MiB, HotBytes = 32 * MiB, Pattern = GupsPattern.Prob, HotProb = 0.99,
    };
    public ulong DurationUs { get; init; } = 6_000_000;
    /// <summary>DAMON's regions are scored against the hot set from here on.</summary>
    public ulong WarmupUs { get; init; } = 1_000_000;
    /// <summary>A region is hot to DAMON at this nr_accesses (of 20 samples per aggregation at the defaults).</summary>
    public uint HotMinNrAccesses { get; init; } = 5;
    /// <summary>How long each user stays active under the isolation policies (NUMA balancing first).</summary>
    public ulong SwitchPeriodUs { get; init; } = 1_000_000;
    /// <summary>The page-fault primitive removes its unreached marks each sample (<see cref="Damon.Sim.Reports.SimPageFaultPrimitive.ClearStaleMarks"/>).</summary>
    public bool ClearStaleMarks { get; init; } = true;
    public NumaBalancingParams Numa { get; init; } = new();
    public MonitoringAttrs Attrs { get; init; } = MonitoringAttrs.Default;
    public IReadOnlyList<FaultSharing> Policies { get; init; } = Enum.GetValues<FaultSharing>();

    /// <summary>The first rule broken, in the study's words, or null.</summary>
    public string? Problem()
    {
        if (DurationUs == 0) return "duration must be positive";
        if (WarmupUs >= DurationUs) return $"warm-up ({WarmupUs} us) must be shorter than the duration ({DurationUs} us)";
        if (SwitchPeriodUs == 0) return "switch period must be positive";
        if (HotMinNrAccesses == 0) return "the hot threshold must be at least 1 access";
        if (Workload.Threads.NrThreads != 1) return "the study runs one GUPS thread";
        if (Policies.Count == 0) return "no policy to run";
        return null;
    }
}
