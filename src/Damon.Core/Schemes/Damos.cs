using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

/// <summary>
/// damos: a data access monitoring-based operation scheme — do <see cref="Action"/> to regions
/// matching <see cref="Pattern"/>, within <see cref="Quota"/>, while <see cref="Wmarks"/> allow,
/// on the memory the filters let through.
/// </summary>
public sealed class Damos
{
    /// <summary>NUMA_NO_NODE.</summary>
    public const int NumaNoNode = -1;

    /// <summary>damon_new_scheme.</summary>
    public Damos(DamosAccessPattern pattern, DamosAction action, ulong applyIntervalUs = 0,
        DamosQuota? quota = null, DamosWatermarks? wmarks = null, int targetNid = NumaNoNode)
    {
        Pattern = pattern;
        Action = action;
        ApplyIntervalUs = applyIntervalUs;
        Quota = quota?.CloneParams() ?? new DamosQuota();
        Quota.Goals.Clear(); // damon_new_scheme starts with no goals; callers add them to Quota.Goals
        Wmarks = wmarks?.Clone() ?? new DamosWatermarks();
        Wmarks.Activated = true;
        TargetNid = targetNid;
    }

    public DamosAccessPattern Pattern { get; set; }
    public DamosAction Action { get; set; }
    /// <summary>0 means every aggregation interval.</summary>
    public ulong ApplyIntervalUs { get; set; }
    public DamosQuota Quota { get; internal set; }
    public DamosWatermarks Wmarks { get; internal set; }
    public int TargetNid { get; set; }
    /// <summary>
    /// Whose age the scheme sees and restarts in a shared context (<see cref="Monitoring.RegionOwnAges"/>);
    /// -1, the default, is the region's own age, as in the kernel.
    /// </summary>
    public int AgeOwner { get; set; } = -1;
    public DamosMigrateDests MigrateDests { get; } = new();
    public List<DamosFilter> CoreFilters { get; } = [];
    public List<DamosFilter> OpsFilters { get; } = [];
    public DamosStat Stat { get; } = new();
    /// <summary>Deactivate the scheme after this many snapshots (0: never).</summary>
    public ulong MaxNrSnapshots { get; set; }

    // private
    internal ulong NextApplySis;
    internal bool WalkCompleted;
    /// <summary>Set by the core filters for the region being applied; ops filters are then skipped.</summary>
    public bool CoreFiltersAllowed { get; internal set; }
    internal bool CoreFiltersDefaultReject;
    /// <summary>What the ops set does with memory no ops filter matched.</summary>
    public bool OpsFiltersDefaultReject { get; internal set; }
    /// <summary>Ops-layer de-duplication of folios spanning two regions (last_applied).</summary>
    public object? LastApplied { get; set; }

    /// <summary>damos_add_filter: core and ops filters are kept in separate lists.</summary>
    public void AddFilter(DamosFilter f)
    {
        if (f.Type.IsOpsFilter()) OpsFilters.Add(f); else CoreFilters.Add(f);
    }

    public IEnumerable<DamosFilter> Filters => CoreFilters.Concat(OpsFilters);

    public override string ToString() => $"damos {Action.SysfsName()}";
}
