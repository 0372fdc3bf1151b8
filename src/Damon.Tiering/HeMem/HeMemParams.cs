namespace Damon.Tiering.HeMem;

/// <summary>
/// HeMem's artifact defaults (src/pebs.h): SAMPLE_PERIOD 19,997 events per PEBS counter,
/// HOT_READ_THRESHOLD and HOT_WRITE_THRESHOLD 4 samples, PEBS_COOLING_THRESHOLD 10 (cooling when a counter exceeds it),
/// PEBS_KSWAPD_INTERVAL 10 ms between policy passes (the HeMem trees that pace the policy thread
/// sleep the rest of it; cuhk-mass's pebs.c loops without sleeping). PEBS_KSWAPD_MIGRATE_RATE
/// (10 GiB) caps the bytes one pass promotes, demotions not counted: in effect no cap, the copy
/// cost is.
/// </summary>
public sealed record HeMemParams
{
    public ulong SamplePeriod { get; init; } = 19_997;
    /// <summary>HOT_READ_THRESHOLD: load samples (local-DRAM plus slow-tier) at which a page is hot.</summary>
    public uint HotReadThreshold { get; init; } = 4;
    /// <summary>HOT_WRITE_THRESHOLD: store samples at which a page is hot.</summary>
    public uint HotWriteThreshold { get; init; } = 4;
    /// <summary>PEBS_COOLING_THRESHOLD: a counter above it ticks the global cooling clock.</summary>
    public uint CoolingThreshold { get; init; } = 10;
    public ulong PolicyIntervalMs { get; init; } = 10;
    /// <summary>
    /// How often the fast tier is walked for pages HeMem has not listed yet (they join the cold list,
    /// pebs_allocate_page's dram_cold_list; the simulator reports no allocation events). PEBS
    /// records are read at every policy pass, standing for pebs_scan_thread's continuous polling.
    /// </summary>
    public ulong SampleDrainMs { get; init; } = 100;
    /// <summary>PEBS_KSWAPD_MIGRATE_RATE: bytes one policy pass may promote.</summary>
    public ulong MigrateBytesPerPass { get; init; } = 10UL << 30;
}
