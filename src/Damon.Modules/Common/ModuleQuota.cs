using Damon.Core.Schemes;

namespace Damon.Modules.Common;

/// <summary>
/// The quota parameters a module exposes: <c>quota_ms</c>, <c>quota_sz</c> and
/// <c>quota_reset_interval_ms</c> (DEFINE_DAMON_MODULES_DAMOS_QUOTAS; LRU_SORT exposes only the
/// time quota, DEFINE_DAMON_MODULES_DAMOS_TIME_QUOTA). The prioritisation weights are fixed per
/// module and are not parameters in the kernel. Defaults are per module.
/// </summary>
public sealed record ModuleQuota
{
    /// <summary>Time quota: milliseconds of action per reset interval; 0 means no time limit.</summary>
    public ulong Ms { get; init; }
    /// <summary>Size quota: bytes acted on per reset interval; 0 means no size limit.</summary>
    public ulong Sz { get; init; }
    /// <summary>Quota charge reset interval in milliseconds.</summary>
    public ulong ResetIntervalMs { get; init; }

    /// <summary>A damos_quota with these limits and the module's fixed weights.</summary>
    public DamosQuota ToQuota(uint weightSz, uint weightNrAccesses, uint weightAge) => new()
    {
        Ms = Ms,
        Sz = Sz,
        ResetIntervalMs = ResetIntervalMs,
        WeightSz = weightSz,
        WeightNrAccesses = weightNrAccesses,
        WeightAge = weightAge,
    };

    /// <summary>quota_ms and quota_reset_interval_ms.</summary>
    public static IEnumerable<ModuleParam<T>> TimeParams<T>(Func<T, ModuleQuota> get, Func<T, ModuleQuota, T> set)
    {
        ModuleParam<ModuleQuota>[] own =
        [
            ModuleParam<ModuleQuota>.ULong("quota_ms", q => q.Ms, (q, v) => q with { Ms = v }),
            ModuleParam<ModuleQuota>.ULong("quota_reset_interval_ms", q => q.ResetIntervalMs, (q, v) => q with { ResetIntervalMs = v }),
        ];
        return own.Select(p => p.Lift(get, set));
    }

    /// <summary>quota_ms, quota_reset_interval_ms and quota_sz.</summary>
    public static IEnumerable<ModuleParam<T>> Params<T>(Func<T, ModuleQuota> get, Func<T, ModuleQuota, T> set)
        => TimeParams(get, set).Append(
            ModuleParam<ModuleQuota>.ULong("quota_sz", q => q.Sz, (q, v) => q with { Sz = v }).Lift(get, set));
}
