using Damon.Core.Schemes;

namespace Damon.Modules.Common;

/// <summary>
/// The watermarks a module exposes (DEFINE_DAMON_MODULES_WMARKS_PARAMS): <c>wmarks_interval</c>,
/// <c>wmarks_high</c>, <c>wmarks_mid</c>, <c>wmarks_low</c>. The metric is always free_mem_rate
/// (free memory per mille of total memory). Defaults are per module.
/// </summary>
public sealed record ModuleWatermarks
{
    /// <summary>How often the metric is checked, in microseconds.</summary>
    public ulong IntervalUs { get; init; }
    /// <summary>Free memory rate (per mille) above which the schemes deactivate.</summary>
    public ulong High { get; init; }
    /// <summary>Free memory rate (per mille) below which deactivated schemes activate again.</summary>
    public ulong Mid { get; init; }
    /// <summary>Free memory rate (per mille) below which the schemes deactivate.</summary>
    public ulong Low { get; init; }

    public DamosWatermarks ToWatermarks() => new()
    {
        Metric = DamosWmarkMetric.FreeMemRate,
        IntervalUs = IntervalUs,
        High = High,
        Mid = Mid,
        Low = Low,
    };

    public static IEnumerable<ModuleParam<T>> Params<T>(Func<T, ModuleWatermarks> get, Func<T, ModuleWatermarks, T> set)
    {
        ModuleParam<ModuleWatermarks>[] own =
        [
            ModuleParam<ModuleWatermarks>.ULong("wmarks_interval", w => w.IntervalUs, (w, v) => w with { IntervalUs = v }),
            ModuleParam<ModuleWatermarks>.ULong("wmarks_high", w => w.High, (w, v) => w with { High = v }),
            ModuleParam<ModuleWatermarks>.ULong("wmarks_mid", w => w.Mid, (w, v) => w with { Mid = v }),
            ModuleParam<ModuleWatermarks>.ULong("wmarks_low", w => w.Low, (w, v) => w with { Low = v }),
        ];
        return own.Select(p => p.Lift(get, set));
    }
}
