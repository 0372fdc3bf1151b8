using Damon.Core.Monitoring;

namespace Damon.Sim.Bench;

/// <summary>How DAMON is set up in one accuracy case.</summary>
public enum AccuracyMode
{
    /// <summary>damon_new_ctx()'s attributes: 5 ms sampling, 100 ms aggregation, 10..1000 regions.</summary>
    Default,
    /// <summary>The same, with intervals_goal 4 % access_bp over 3 aggregations, sampling 5 ms..10 s.</summary>
    Tuned,
    /// <summary>
    /// The default attributes with page-table-tree access checks (<see cref="Operations.SimPtpVaddrOperations"/>):
    /// each sample reads the PUD, then the PMD accessed bit of its address. Not in the kernel.
    /// </summary>
    Ptp,
}

/// <summary>Whether the workload's hot set stays put or moves once (to score reaction time).</summary>
public enum HotSetMotion
{
    /// <summary>One hot region of 10 % for the whole run.</summary>
    Stable,
    /// <summary>
    /// Two hot-sized regions; the workload accesses the first until the end of the warm-up and
    /// the second from then on (the first then is never touched again).
    /// </summary>
    Moving,
}

/// <summary>Parameters of <see cref="AccuracyBench"/>; the defaults are what docs/results/accuracy.md ran.</summary>
public sealed record AccuracyOptions
{
    public IReadOnlyList<ulong> FootprintsBytes { get; init; } = [1UL << 30, 10UL << 30, 100UL << 30, 1UL << 40];
    public IReadOnlyList<AccuracyMode> Modes { get; init; } = [AccuracyMode.Default, AccuracyMode.Tuned];
    public IReadOnlyList<HotSetMotion> HotSets { get; init; } = [HotSetMotion.Stable];
    /// <summary>
    /// With a moving hot set, scoring goes on past <see cref="DurationUs"/> for up to this long
    /// until a window reaches <see cref="ReactionRecall"/> (else the reaction is "never").
    /// </summary>
    public ulong ReactionCapUs { get; init; } = 60_000_000;
    /// <summary>The recall a window after the move must reach for the monitor to have reacted.</summary>
    public double ReactionRecall { get; init; } = 0.9;
    /// <summary>Share of the footprint the workload accesses (the masim "hot" region), per mille.</summary>
    public uint HotPermil { get; init; } = 100;
    /// <summary>Simulated time before scoring starts with the default attributes (regions adapt).</summary>
    public ulong WarmupUs { get; init; } = 10_000_000;
    /// <summary>
    /// Simulated time before scoring starts with interval tuning: the sampling interval at most
    /// doubles every 3 aggregations, so reaching ~1 s from 5 ms takes a few minutes of simulated time.
    /// </summary>
    public ulong TunedWarmupUs { get; init; } = 240_000_000;
    /// <summary>Simulated time during which aggregation windows are scored.</summary>
    public ulong DurationUs { get; init; } = 10_000_000;
    /// <summary>Scoring goes on past <see cref="DurationUs"/> until this many windows were scored.</summary>
    public int MinWindows { get; init; } = 3;
    /// <summary>Windows whose every page is walked against ground truth (the walk costs ~1 s per TiB).</summary>
    public int MaxGroundTruthWindows { get; init; } = 5;
    /// <summary>A region is "hot" to DAMON when its nr_accesses in the window is at least this.</summary>
    public uint HotMinNrAccesses { get; init; } = 1;
    public ulong Seed { get; init; } = 42;
    /// <summary>
    /// After populating, back the process's anonymous memory (the simulator's per-page state) with
    /// host huge pages (<see cref="HostHugePages.CollapseAnonymousMappings"/>): the workload's random
    /// accesses then stop missing the host's TLB on top of its caches. Host layout only: no
    /// simulated state or result changes, only the CPU and wall columns.
    /// </summary>
    public bool HostHugePages { get; init; } = true;
    /// <summary>ptp only: log2 of the PMD entries a sample reads (<see cref="Operations.SimPtpVaddrOperations.PmdSpanShift"/>).</summary>
    public int PtpPmdSpanShift { get; init; } = Operations.SimPtpVaddrOperations.DefaultPmdSpanShift;

    public static MonitoringAttrs AttrsOf(AccuracyMode mode) => mode switch
    {
        AccuracyMode.Default or AccuracyMode.Ptp => MonitoringAttrs.Default,
        AccuracyMode.Tuned => MonitoringAttrs.Default with { IntervalsGoal = new IntervalsGoal(400, 3, 5_000, 10_000_000) },
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public void Validate()
    {
        if (FootprintsBytes.Count == 0) throw new ArgumentException("give at least one footprint");
        foreach (var f in FootprintsBytes)
            if (f < (1UL << 20) || f % 4096 != 0)
                throw new ArgumentException($"footprint {f}: must be a multiple of 4 KiB and at least 1 MiB");
        if (Modes.Count == 0) throw new ArgumentException("give at least one mode");
        if (HotSets.Count == 0) throw new ArgumentException("give at least one hot set motion");
        if (HotPermil is 0 or >= 1000) throw new ArgumentException("hot share must be in (0, 1000) per mille");
        if (DurationUs == 0) throw new ArgumentException("duration must be positive");
        if (MinWindows < 1) throw new ArgumentException("min windows must be at least 1");
        if (MaxGroundTruthWindows < 0) throw new ArgumentException("ground-truth windows must be >= 0");
        if (PtpPmdSpanShift is < 0 or > 6) throw new ArgumentException("the ptp PMD span must be 2^0..2^6 entries");
        if (HotMinNrAccesses == 0) throw new ArgumentException("the hot threshold must be at least 1 access");
    }
}
