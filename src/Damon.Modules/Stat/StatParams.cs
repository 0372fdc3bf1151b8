using Damon.Modules.Common;

namespace Damon.Modules.Stat;

/// <summary>
/// DAMON_STAT's parameters (<c>damon_stat.*</c>, mm/damon/stat.c). Only <c>enabled</c> is
/// writable; the monitoring setup is fixed (see <see cref="StatModule"/>) and the results are
/// read-only (<see cref="StatResults"/>).
/// </summary>
public sealed record StatParams : IModuleParams<StatParams>
{
    /// <summary><c>enabled</c>: whether the module should run; N by default (CONFIG_DAMON_STAT_ENABLED_DEFAULT off).</summary>
    public bool Enabled { get; init; }

    public static string ModuleName => "damon_stat";
    public static StatParams Default { get; } = new();

    public static IReadOnlyList<ModuleParam<StatParams>> Params { get; } =
    [
        ModuleParam<StatParams>.Bool("enabled", p => p.Enabled, (p, v) => p with { Enabled = v }),
    ];

    /// <summary>Every value of <c>enabled</c> is valid.</summary>
    public void Validate() { }
}

/// <summary>DAMON_STAT's read-only parameters, as of the last refresh.</summary>
public sealed record StatResults(ulong EstimatedMemoryBandwidth, long[] MemoryIdleMsPercentiles, ulong AggrIntervalUs)
{
    /// <summary>Nothing refreshed yet: all zero, as the kernel's statics start.</summary>
    public static StatResults Empty => new(0, new long[StatComputation.NrPercentiles], 0);
}
