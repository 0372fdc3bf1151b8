using Damon.Core.Monitoring;

namespace Damon.Modules.Common;

/// <summary>
/// The monitoring attributes a module exposes (DEFINE_DAMON_MODULES_MON_ATTRS_PARAMS):
/// <c>sample_interval</c>, <c>aggr_interval</c>, <c>min_nr_regions</c>, <c>max_nr_regions</c>.
/// Defaults are the RECLAIM/LRU_SORT/TIER ones.
/// </summary>
public sealed record ModuleMonitoringAttrs
{
    /// <summary>Sampling interval in microseconds; 5,000 (5 ms) by default.</summary>
    public ulong SampleIntervalUs { get; init; } = 5_000;
    /// <summary>Aggregation interval in microseconds; 100,000 (100 ms) by default.</summary>
    public ulong AggrIntervalUs { get; init; } = 100_000;
    /// <summary>Minimum number of monitoring regions; 10 by default.</summary>
    public ulong MinNrRegions { get; init; } = 10;
    /// <summary>Maximum number of monitoring regions; 1,000 by default.</summary>
    public ulong MaxNrRegions { get; init; } = 1000;

    /// <summary>The damon_attrs the module passes to damon_set_attrs (ops_update_interval 0).</summary>
    public MonitoringAttrs ToAttrs() => new()
    {
        SampleIntervalUs = SampleIntervalUs,
        AggrIntervalUs = AggrIntervalUs,
        OpsUpdateIntervalUs = 0,
        MinNrRegions = MinNrRegions,
        MaxNrRegions = MaxNrRegions,
    };

    /// <summary>
    /// autotune_monitoring_intervals=Y (RECLAIM, LRU_SORT): 5 ms / 100 ms start, tuned toward
    /// 0.4% observed accesses (access_bp 40) every 3 aggregations, sampling kept in [5 ms, 10 s].
    /// </summary>
    public static MonitoringAttrs Autotuned(MonitoringAttrs attrs) => attrs with
    {
        SampleIntervalUs = 5_000,
        AggrIntervalUs = 100_000,
        IntervalsGoal = new IntervalsGoal(AccessBp: 40, Aggrs: 3, MinSampleUs: 5_000, MaxSampleUs: 10_000_000),
    };

    /// <summary>
    /// The fixed setup DAMON_STAT and the mtier sample both build: sample 5 ms, aggregation
    /// 100 ms, ops update 60 s, 10..1000 regions, intervals tuned toward 4% observed accesses
    /// (400 bp) every 3 aggregations with sampling in [5 ms, 10 s].
    /// </summary>
    public static MonitoringAttrs TunedToward4Percent { get; } = new()
    {
        SampleIntervalUs = 5_000,
        AggrIntervalUs = 100_000,
        OpsUpdateIntervalUs = 60_000_000,
        MinNrRegions = 10,
        MaxNrRegions = 1000,
        IntervalsGoal = new IntervalsGoal(AccessBp: 400, Aggrs: 3, MinSampleUs: 5_000, MaxSampleUs: 10_000_000),
    };

    /// <summary>The rules damon_set_attrs enforces, named by the module parameters.</summary>
    public void Validate()
    {
        if (MinNrRegions < 3)
            throw new ModuleParamException("min_nr_regions", $"must be at least 3 (is {MinNrRegions})");
        if (MinNrRegions > MaxNrRegions)
            throw new ModuleParamException("min_nr_regions", $"must not exceed max_nr_regions ({MinNrRegions} > {MaxNrRegions})");
        if (SampleIntervalUs > AggrIntervalUs)
            throw new ModuleParamException("sample_interval", $"must not exceed aggr_interval ({SampleIntervalUs} us > {AggrIntervalUs} us)");
    }

    public static IEnumerable<ModuleParam<T>> Params<T>(Func<T, ModuleMonitoringAttrs> get, Func<T, ModuleMonitoringAttrs, T> set)
    {
        ModuleParam<ModuleMonitoringAttrs>[] own =
        [
            ModuleParam<ModuleMonitoringAttrs>.ULong("sample_interval", a => a.SampleIntervalUs, (a, v) => a with { SampleIntervalUs = v }),
            ModuleParam<ModuleMonitoringAttrs>.ULong("aggr_interval", a => a.AggrIntervalUs, (a, v) => a with { AggrIntervalUs = v }),
            ModuleParam<ModuleMonitoringAttrs>.ULong("min_nr_regions", a => a.MinNrRegions, (a, v) => a with { MinNrRegions = v }),
            ModuleParam<ModuleMonitoringAttrs>.ULong("max_nr_regions", a => a.MaxNrRegions, (a, v) => a with { MaxNrRegions = v }),
        ];
        return own.Select(p => p.Lift(get, set));
    }
}
