using System.Text.Json.Nodes;

namespace Damon.Tiering.InterleaveOracle;

/// <summary>What the model predicted for a run: the load it was calibrated with, all-fast, its optimum and Colloid's balance point.</summary>
public sealed record SplitPrediction(SplitLoad Load, SplitPoint AllFast, SplitPoint Optimum, SplitPoint Equalising)
{
    public static SplitPrediction Of(SplitModel model) => new(model.Load, model.Solve(0), model.Optimum(), model.Equalising());

    /// <summary>The results entry's <c>split_model</c> (docs/results/bandwidth.md).</summary>
    public JsonObject ToJson() => new()
    {
        ["nr_threads"] = Load.NrThreads,
        ["other_ns_per_access"] = Load.OtherNsPerAccess,
        ["memory_share"] = Load.MemoryShare,
        ["all_fast"] = Point(AllFast),
        ["optimum"] = Point(Optimum),
        ["equalising"] = Point(Equalising),
        ["optimum_normalized_runtime"] = AllFast.NsPerAccess > 0 ? Optimum.NsPerAccess / AllFast.NsPerAccess : 1.0,
    };

    private static JsonObject Point(SplitPoint p) => new()
    {
        ["slow_share"] = p.SlowShare,
        ["ns_per_access"] = p.NsPerAccess,
        ["rho_fast"] = p.RhoFast,
        ["rho_slow"] = p.RhoSlow,
        ["loaded_fast_ns"] = p.LoadedFastNs,
        ["loaded_slow_ns"] = p.LoadedSlowNs,
    };
}
