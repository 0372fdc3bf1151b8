namespace Damon.Config.Schema;

/// <summary>The words damo accepts for enumerated fields (the sysfs file contents).</summary>
public static class DamoNames
{
    public static readonly string[] Ops = ["vaddr", "fvaddr", "paddr"];

    public static readonly string[] Actions =
    [
        "willneed", "cold", "pageout", "hugepage", "collapse", "nohugepage",
        "lru_prio", "lru_deprio", "migrate_hot", "migrate_cold", "stat",
    ];

    public static readonly string[] QuotaGoalMetrics =
    [
        "user_input", "some_mem_psi_us", "node_mem_used_bp", "node_mem_free_bp",
        "node_memcg_used_bp", "node_memcg_free_bp", "active_mem_bp", "inactive_mem_bp",
        "node_eligible_mem_bp", "hugepage_mem_bp",
    ];

    public static readonly string[] GoalTuners = ["consist", "temporal"];
    public static readonly string[] WmarkMetrics = ["none", "free_mem_rate"];
    public static readonly string[] FilterTypes = ["anon", "active", "memcg", "young", "hugepage_size", "unmapped", "addr", "target"];
    public static readonly string[] ProbeFilterTypes = ["anon", "memcg"];
    public static readonly string[] SampleFilterTypes = ["cpumask", "threads", "write"];

    public static bool IsMigrateAction(string action) => action is "migrate_hot" or "migrate_cold";

    /// <summary>
    /// Metrics whose goal names a NUMA node (DamosQuotaGoal.metric_require_nid, plus
    /// node_eligible_mem_bp, which the kernel reads per node but damo forgets).
    /// </summary>
    public static bool GoalNeedsNid(string metric) =>
        metric is "node_mem_used_bp" or "node_mem_free_bp" or "node_memcg_used_bp" or "node_memcg_free_bp" or "node_eligible_mem_bp";

    public static bool GoalNeedsMemcg(string metric) => metric is "node_memcg_used_bp" or "node_memcg_free_bp";
}
