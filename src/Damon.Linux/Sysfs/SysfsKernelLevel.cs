namespace Damon.Linux.Sysfs;

/// <summary>
/// Which files a kernel's DAMON admin tree has, for <see cref="FakeSysfsTree"/>. The presets follow
/// the mainline release each file arrived in (Documentation/admin-guide/mm/damon/usage.rst history).
/// </summary>
public sealed record SysfsKernelLevel
{
    public required string Name { get; init; }
    /// <summary>filters/&lt;F&gt;/allow (6.14); older kernels have neither allow nor pass.</summary>
    public bool FilterAllow { get; init; }
    /// <summary>hugepage_size filters' min/max files (6.14).</summary>
    public bool FilterHugepageSize { get; init; }
    /// <summary>core_filters/ and ops_filters/ beside filters/ (6.15), with the active and unmapped types.</summary>
    public bool CoreOpsFilters { get; init; }
    /// <summary>The young filter type (6.10).</summary>
    public bool YoungFilter { get; init; }
    /// <summary>stats/sz_ops_filter_passed and tried_regions/&lt;R&gt;/sz_filter_passed (6.14).</summary>
    public bool SzOpsFilterPassed { get; init; }
    public bool IntervalsGoal { get; init; }
    /// <summary>goals/&lt;G&gt;/nid and the node_mem_used_bp/node_mem_free_bp metrics (6.16).</summary>
    public bool GoalNid { get; init; }
    /// <summary>goals/&lt;G&gt;/path and the node_memcg_*_bp metrics.</summary>
    public bool GoalPath { get; init; }
    /// <summary>active_mem_bp/inactive_mem_bp, with max_nr_snapshots.</summary>
    public bool GoalActiveMem { get; init; }
    /// <summary>node_eligible_mem_bp, collapse and the fail charge ratio.</summary>
    public bool FailCharge { get; init; }
    public bool Dests { get; init; }
    public bool RefreshMs { get; init; }
    public bool AddrUnit { get; init; }
    public bool ObsoleteTarget { get; init; }
    public bool Snapshots { get; init; }
    public bool GoalTuner { get; init; }
    public bool Pause { get; init; }
    /// <summary>monitoring_attrs/probes/ (7.2 data-attribute probes).</summary>
    public bool Probes { get; init; }
    /// <summary>monitoring_attrs/sample/ (damon/next only).</summary>
    public bool Sample { get; init; }
    /// <summary>operations_attrs/ (experimental damon/next kernels).</summary>
    public bool OpsAttrs { get; init; }

    /// <summary>Debian bookworm-backports' 6.12: filters/ only, user_input and some_mem_psi_us goals.</summary>
    public static readonly SysfsKernelLevel V6_12 = new() { Name = "6.12", YoungFilter = true };

    /// <summary>A 6.16 kernel (trixie-backports): core/ops filters, interval tuning, node goals.</summary>
    public static readonly SysfsKernelLevel V6_16 = V6_12 with
    {
        Name = "6.16", FilterAllow = true, FilterHugepageSize = true, CoreOpsFilters = true,
        SzOpsFilterPassed = true, IntervalsGoal = true, GoalNid = true,
    };

    /// <summary>Mainline 7.2: everything above plus dests, refresh_ms, addr_unit, probes, pause, ...</summary>
    public static readonly SysfsKernelLevel V7_2 = V6_16 with
    {
        Name = "7.2", GoalPath = true, GoalActiveMem = true, FailCharge = true, Dests = true, RefreshMs = true,
        AddrUnit = true, ObsoleteTarget = true, Snapshots = true, GoalTuner = true, Pause = true, Probes = true,
    };

    /// <summary>
    /// The access-reporting hack tree (damonitor/linux, mm/damon/sysfs-sample.c 176a3a21): 7.2 plus
    /// monitoring_attrs/sample/ (primitives/{page_table,page_fault}, filters/, perf_events/) and no
    /// operations_attrs/. The file is page_fault, as the code names it; the RFC's usage document
    /// says page_faults.
    /// </summary>
    public static readonly SysfsKernelLevel AccessReports = V7_2 with { Name = "reports", Sample = true };

    /// <summary>SJ's damon/next: 7.2 plus sample control and operations attributes.</summary>
    public static readonly SysfsKernelLevel Next = V7_2 with { Name = "next", Sample = true, OpsAttrs = true };

    /// <summary>The goal metrics target_metric accepts.</summary>
    public IEnumerable<string> GoalMetrics()
    {
        yield return "user_input";
        yield return "some_mem_psi_us";
        if (GoalNid) { yield return "node_mem_used_bp"; yield return "node_mem_free_bp"; }
        if (GoalPath) { yield return "node_memcg_used_bp"; yield return "node_memcg_free_bp"; }
        if (GoalActiveMem) { yield return "active_mem_bp"; yield return "inactive_mem_bp"; }
        if (FailCharge) yield return "node_eligible_mem_bp";
    }

    /// <summary>The kernel's !damos_filter_for_ops(): addr and target are handled by DAMON core.</summary>
    public static bool IsCoreFilterType(string type) => type is "addr" or "target";

    public IEnumerable<string> FilterTypes()
    {
        yield return "anon";
        if (CoreOpsFilters) yield return "active";
        yield return "memcg";
        if (YoungFilter) yield return "young";
        if (FilterHugepageSize) yield return "hugepage_size";
        if (CoreOpsFilters) yield return "unmapped";
        yield return "addr";
        yield return "target";
    }

    public IEnumerable<string> Actions()
    {
        foreach (var a in (string[])["willneed", "cold", "pageout", "hugepage", "nohugepage", "lru_prio", "lru_deprio", "migrate_hot", "migrate_cold", "stat"])
            yield return a;
        if (FailCharge) yield return "collapse";
    }
}
