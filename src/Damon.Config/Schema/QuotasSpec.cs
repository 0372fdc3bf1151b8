using System.Text.Json.Nodes;
using Damon.Config.Numbers;

namespace Damon.Config.Schema;

/// <summary>damos_quota in damo's schema; weights are permil.</summary>
public sealed class QuotasSpec
{
    public ulong TimeMs { get; set; }
    public ulong SzBytes { get; set; }
    /// <summary>damo's default is "max": the quota window never resets.</summary>
    public ulong ResetIntervalMs { get; set; } = ulong.MaxValue;
    public ulong FailChargeNum { get; set; }
    public ulong FailChargeDenom { get; set; }
    public List<QuotaGoalSpec> Goals { get; set; } = [];
    public string GoalTuner { get; set; } = "consist";
    /// <summary>Status only (the tuned size quota); written as damo does, never mapped to the engine.</summary>
    public ulong EffectiveSzBytes { get; set; }
    public ulong WeightSzPermil { get; set; }
    public ulong WeightNrAccessesPermil { get; set; }
    public ulong WeightAgePermil { get; set; }

    /// <summary>No limit and no goal (the status-only effective size is not a parameter).</summary>
    public bool IsDefault => TimeMs == 0 && SzBytes == 0 && ResetIntervalMs == ulong.MaxValue && FailChargeNum == 0
        && FailChargeDenom == 0 && Goals.Count == 0 && GoalTuner == "consist"
        && WeightSzPermil == 0 && WeightNrAccessesPermil == 0 && WeightAgePermil == 0;

    public static QuotasSpec Read(Kv kv)
    {
        var q = new QuotasSpec
        {
            TimeMs = kv.TimeMs("time_ms"),
            SzBytes = kv.Size("sz_bytes"),
            ResetIntervalMs = kv.TimeMs("reset_interval_ms", ulong.MaxValue),
            FailChargeNum = kv.Nr("fail_charge_num"),
            FailChargeDenom = kv.Nr("fail_charge_denom"),
            Goals = kv.List("goals", QuotaGoalSpec.Read),
            GoalTuner = kv.Choice("goal_tuner", "consist", DamoNames.GoalTuners),
            EffectiveSzBytes = kv.Size("effective_sz_bytes"),
        };
        if (kv.OptionalObject("weights") is { } w)
        {
            q.WeightSzPermil = w.Permil("sz_permil");
            q.WeightNrAccessesPermil = w.Permil("nr_accesses_permil");
            q.WeightAgePermil = w.Permil("age_permil");
        }
        return q;
    }

    public JsonObject Write(bool raw) => new()
    {
        ["time_ms"] = KvWrite.Num(TimeMs, raw, DamoPrint.TimeMsExact),
        ["sz_bytes"] = KvWrite.Num(SzBytes, raw, DamoPrint.Sz),
        ["reset_interval_ms"] = KvWrite.Num(ResetIntervalMs, raw, DamoPrint.TimeMsExact),
        ["fail_charge_num"] = KvWrite.Num(FailChargeNum, raw, DamoPrint.Nr),
        ["fail_charge_denom"] = KvWrite.Num(FailChargeDenom, raw, DamoPrint.Nr),
        ["goals"] = KvWrite.Array(Goals, g => g.Write(raw)),
        ["goal_tuner"] = GoalTuner,
        ["effective_sz_bytes"] = KvWrite.Num(EffectiveSzBytes, raw, DamoPrint.Sz),
        ["weights"] = new JsonObject
        {
            ["sz_permil"] = KvWrite.Num(WeightSzPermil, raw, DamoPrint.Permil),
            ["nr_accesses_permil"] = KvWrite.Num(WeightNrAccessesPermil, raw, DamoPrint.Permil),
            ["age_permil"] = KvWrite.Num(WeightAgePermil, raw, DamoPrint.Permil),
        },
    };
}

/// <summary>
/// damos_quota_goal: target value in the metric's unit (bp for the *_bp metrics damo knows as
/// ratios — Damon also reads node_eligible_mem_bp as a ratio —, microseconds for some_mem_psi_us,
/// a plain number otherwise).
/// </summary>
public sealed class QuotaGoalSpec
{
    public string Metric { get; set; } = "user_input";
    public ulong? Nid { get; set; }
    public string? MemcgPath { get; set; }
    public ulong TargetValue { get; set; }
    public ulong CurrentValue { get; set; }

    /// <summary>How damo reads a target value of <paramref name="metric"/> (DamosQuotaGoal.__init__).</summary>
    public static bool TryParseTarget(string metric, string text, out ulong value) => metric switch
    {
        "some_mem_psi_us" => Numbers.DamoParse.TryTimeUs(text, out value),
        "node_mem_used_bp" or "node_mem_free_bp" or "node_memcg_used_bp" or "node_memcg_free_bp"
            or "active_mem_bp" or "inactive_mem_bp" or "node_eligible_mem_bp" or "hugepage_mem_bp" => Numbers.DamoParse.TryBp(text, out value),
        _ => Numbers.DamoParse.TryNr(text, out value),
    };

    public static QuotaGoalSpec Read(Kv kv)
    {
        // The first goal format called user_input's values target_value_bp/current_value_bp.
        if (kv.Has("target_value_bp"))
            return new QuotaGoalSpec { TargetValue = kv.Nr("target_value_bp"), CurrentValue = kv.Nr("current_value_bp") };
        var g = new QuotaGoalSpec
        {
            Metric = kv.Choice("metric", "user_input", DamoNames.QuotaGoalMetrics),
            Nid = kv.OptionalNr("nid"),
            MemcgPath = kv.OptionalString("memcg_path"),
            CurrentValue = kv.Nr("current_value"),
        };
        g.TargetValue = kv.Parse<ulong>("target_value", 0, (string t, out ulong v) => TryParseTarget(g.Metric, t, out v),
            g.Metric.EndsWith("_bp", StringComparison.Ordinal) ? "a ratio (basis points)" : "a target value");
        return g;
    }

    public JsonObject Write(bool raw) => new()
    {
        ["metric"] = Metric,
        ["nid"] = Nid is { } n ? KvWrite.Num(n, raw, DamoPrint.Nr) : null,
        ["memcg_path"] = KvWrite.Str(MemcgPath),
        ["target_value"] = KvWrite.Num(TargetValue, raw, DamoPrint.Nr),
        ["current_value"] = KvWrite.Num(CurrentValue, raw, DamoPrint.Nr),
    };
}

/// <summary>damos_watermarks; the marks are permil of the metric.</summary>
public sealed class WatermarksSpec
{
    public string Metric { get; set; } = "none";
    public ulong IntervalUs { get; set; }
    public ulong HighPermil { get; set; }
    public ulong MidPermil { get; set; }
    public ulong LowPermil { get; set; }

    public bool IsDefault => Metric == "none" && IntervalUs == 0 && HighPermil == 0 && MidPermil == 0 && LowPermil == 0;

    public static WatermarksSpec Read(Kv kv) => new()
    {
        Metric = kv.Choice("metric", "none", DamoNames.WmarkMetrics),
        IntervalUs = kv.TimeUs("interval_us"),
        HighPermil = kv.Permil("high_permil"),
        MidPermil = kv.Permil("mid_permil"),
        LowPermil = kv.Permil("low_permil"),
    };

    public JsonObject Write(bool raw) => new()
    {
        ["metric"] = Metric,
        ["interval_us"] = KvWrite.Num(IntervalUs, raw, DamoPrint.TimeUsExact),
        ["high_permil"] = KvWrite.Num(HighPermil, raw, DamoPrint.Permil),
        ["mid_permil"] = KvWrite.Num(MidPermil, raw, DamoPrint.Permil),
        ["low_permil"] = KvWrite.Num(LowPermil, raw, DamoPrint.Permil),
    };
}
