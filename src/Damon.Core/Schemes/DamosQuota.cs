using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

/// <summary>damos_quota_goal_metric.</summary>
public enum DamosQuotaGoalMetric
{
    UserInput,
    SomeMemPsiUs,
    NodeMemUsedBp,
    NodeMemFreeBp,
    NodeMemcgUsedBp,
    NodeMemcgFreeBp,
    ActiveMemBp,
    InactiveMemBp,
    NodeEligibleMemBp,
    /// <summary>Queued (damonitor/linux, "DAMOS_QUOTA_HUGEPAGE auto tuning"), not in mainline 7.2.</summary>
    HugepageMemBp,
}

public static class DamosQuotaGoalMetrics
{
    private static readonly string[] Names =
    [
        "user_input", "some_mem_psi_us", "node_mem_used_bp", "node_mem_free_bp", "node_memcg_used_bp",
        "node_memcg_free_bp", "active_mem_bp", "inactive_mem_bp", "node_eligible_mem_bp",
        "hugepage_mem_bp",
    ];

    public static string SysfsName(this DamosQuotaGoalMetric m) => Names[(int)m];

    /// <summary>
    /// hugepage_mem_bp from its reading: THP bytes × 10000 / (total − free), 0 with nothing used;
    /// THP bytes above the used bytes (readings taken at different moments) count as all of them.
    /// </summary>
    public static ulong HugepageMemBp(ulong thpBytes, ulong totalBytes, ulong freeBytes) =>
        totalBytes > freeBytes ? Util.KernelMath.MultFrac(Math.Min(thpBytes, totalBytes - freeBytes), 10000, totalBytes - freeBytes) : 0;

    public static bool TryParse(string name, out DamosQuotaGoalMetric metric)
    {
        int i = Array.IndexOf(Names, name);
        metric = (DamosQuotaGoalMetric)Math.Max(i, 0);
        return i >= 0;
    }
}

/// <summary>damos_quota_goal_tuner.</summary>
public enum DamosQuotaGoalTuner
{
    /// <summary>Proportional feedback on the effective size quota (the default).</summary>
    Consist = 0,
    /// <summary>Full speed (up to sz) until the goal is reached, then nothing.</summary>
    Temporal = 1,
}

/// <summary>damos_quota_goal: a target value of a system metric the quota is tuned toward.</summary>
public sealed class DamosQuotaGoal(DamosQuotaGoalMetric metric, ulong targetValue)
{
    public DamosQuotaGoalMetric Metric { get; set; } = metric;
    public ulong TargetValue { get; set; } = targetValue;
    public ulong CurrentValue { get; set; }
    /// <summary>NUMA node for the node_* metrics.</summary>
    public int Nid { get; set; }
    /// <summary>Cgroup id for the node_memcg_* metrics.</summary>
    public ulong MemcgId { get; set; }
    /// <summary>Private: the PSI total at the previous reset, for some_mem_psi_us.</summary>
    public ulong LastPsiTotal { get; set; }

    public DamosQuotaGoal Clone() => (DamosQuotaGoal)MemberwiseClone();
}

/// <summary>
/// damos_quota: how much a scheme may do per reset interval, by time (ms) and size (sz), tuned by
/// goals; when the quota binds, regions are prioritised by a score built from the weights.
/// </summary>
public sealed class DamosQuota
{
    public const int MaxScore = 99; // DAMOS_MAX_SCORE

    /// <summary>Time quota: milliseconds of action per reset interval.</summary>
    public ulong Ms { get; set; }
    /// <summary>Size quota: bytes per reset interval.</summary>
    public ulong Sz { get; set; }
    public ulong ResetIntervalMs { get; set; }
    public List<DamosQuotaGoal> Goals { get; } = [];
    public DamosQuotaGoalTuner GoalTuner { get; set; }
    /// <summary>Share of a region's unapplied bytes still charged: fail_charge_num / fail_charge_denom.</summary>
    public ulong FailChargeNum { get; set; }
    public ulong FailChargeDenom { get; set; }
    public uint WeightSz { get; set; }
    public uint WeightNrAccesses { get; set; }
    public uint WeightAge { get; set; }

    // private: charging state
    /// <summary>Effective size quota of the current window.</summary>
    public ulong Esz { get; internal set; }
    internal ulong EszBp;
    public ulong ChargedSz { get; internal set; }
    internal ulong ChargedFromNs;
    internal bool ChargedFromSet;
    public ulong TotalChargedSz { get; internal set; }
    public ulong TotalChargedNs { get; internal set; }
    internal Target? ChargeTargetFrom;
    internal ulong ChargeAddrFrom;
    public uint MinScore { get; internal set; }

    /// <summary>Copy the user-set fields (not the charging state), as damos_commit_quota does.</summary>
    public DamosQuota CloneParams()
    {
        var q = new DamosQuota
        {
            Ms = Ms, Sz = Sz, ResetIntervalMs = ResetIntervalMs, GoalTuner = GoalTuner,
            FailChargeNum = FailChargeNum, FailChargeDenom = FailChargeDenom,
            WeightSz = WeightSz, WeightNrAccesses = WeightNrAccesses, WeightAge = WeightAge,
        };
        foreach (var g in Goals) q.Goals.Add(g.Clone());
        return q;
    }

    internal void ResetPrivate()
    {
        Esz = 0;
        EszBp = 0;
        ChargedSz = 0;
        ChargedFromNs = 0;
        ChargedFromSet = false;
        TotalChargedSz = 0;
        TotalChargedNs = 0;
        ChargeTargetFrom = null;
        ChargeAddrFrom = 0;
        MinScore = 0;
    }
}
