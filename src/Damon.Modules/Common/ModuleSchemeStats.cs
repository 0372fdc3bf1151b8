using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Modules.Common;

/// <summary>
/// The read-only stats parameters of one scheme (DEFINE_DAMON_MODULES_DAMOS_STATS_PARAMS):
/// <c>nr_&lt;tried&gt;</c>, <c>bytes_&lt;tried&gt;</c>, <c>nr_&lt;applied&gt;</c>,
/// <c>bytes_&lt;applied&gt;</c>, <c>nr_&lt;quota_exceeds&gt;</c>.
/// </summary>
public sealed record ModuleSchemeStats(ulong NrTried, ulong BytesTried, ulong NrApplied, ulong BytesApplied, ulong NrQuotaExceeds)
{
    public static ModuleSchemeStats Zero { get; } = new(0, 0, 0, 0, 0);

    public static ModuleSchemeStats From(DamosStat s) => new(s.NrTried, s.SzTried, s.NrApplied, s.SzApplied, s.QtExceeds);

    /// <summary>The stats of the scheme doing <paramref name="action"/> (the modules' call_fn, which tells schemes apart by action).</summary>
    public static ModuleSchemeStats Of(IEnumerable<Damos> schemes, DamosAction action) =>
        schemes.LastOrDefault(s => s.Action == action) is { } s ? From(s.Stat) : Zero;

    /// <summary>The parameters as the module names them, e.g. ("reclaim_tried_regions", "reclaimed_regions", "quota_exceeds").</summary>
    public IReadOnlyList<KeyValuePair<string, ulong>> Named(string tryName, string succName, string qtExceedName) =>
    [
        new("nr_" + tryName, NrTried),
        new("bytes_" + tryName, BytesTried),
        new("nr_" + succName, NrApplied),
        new("bytes_" + succName, BytesApplied),
        new("nr_" + qtExceedName, NrQuotaExceeds),
    ];
}
