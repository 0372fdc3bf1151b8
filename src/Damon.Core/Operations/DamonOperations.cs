using Damon.Core.Monitoring;
using Damon.Core.Schemes;

namespace Damon.Core.Operations;

/// <summary>
/// Which damon_operations callbacks a set provides. The kernel tests each callback pointer for
/// NULL, and a missing callback changes behaviour (no target_valid: targets never expire; no
/// get_scheme_score: quotas do not prioritise), so the contract says so explicitly.
/// </summary>
[Flags]
public enum OpsCallbacks
{
    None = 0,
    Init = 1 << 0,
    Update = 1 << 1,
    PrepareAccessChecks = 1 << 2,
    CheckAccesses = 1 << 3,
    ApplyProbes = 1 << 4,
    GetSchemeScore = 1 << 5,
    ApplyScheme = 1 << 6,
    TargetValid = 1 << 7,
    CleanupTarget = 1 << 8,
}

/// <summary>
/// damon_operations: what an address space (a simulated machine, a real Linux process, physical
/// memory) must do for the core. The core calls only the callbacks named in <see cref="Callbacks"/>.
/// </summary>
public abstract class DamonOperations
{
    public abstract OperationsId Id { get; }
    public abstract OpsCallbacks Callbacks { get; }

    public bool Has(OpsCallbacks cb) => (Callbacks & cb) == cb;

    /// <summary>Set up the targets' initial regions (vaddr: from the VMAs).</summary>
    public virtual void Init(DamonContext ctx) { }

    /// <summary>Refresh the targets' regions every ops_update_interval (vaddr: VMA changes).</summary>
    public virtual void Update(DamonContext ctx) { }

    /// <summary>Pick each region's sampling address and clear its accessed state ("mkold").</summary>
    public virtual void PrepareAccessChecks(DamonContext ctx) { }

    /// <summary>
    /// Check each region's sampling address and call
    /// <see cref="DamonCore.UpdateRegionAccessRate"/>; return the largest nr_accesses over all regions.
    /// </summary>
    public virtual uint CheckAccesses(DamonContext ctx) => 0;

    /// <summary>
    /// Evaluate the context's probes on each region's sampled folio (§2.14); return the largest
    /// weighted probe-hit sum when <paramref name="returnMaxWsum"/>.
    /// </summary>
    public virtual uint ApplyProbes(DamonContext ctx, bool setSamples, bool returnMaxWsum) => 0;

    /// <summary>Priority of a region for a scheme's quota, 0..99 (higher is applied first).</summary>
    public virtual int GetSchemeScore(DamonContext ctx, Target t, Region r, Damos s) => 0;

    /// <summary>
    /// Apply <paramref name="s"/>'s action to <paramref name="r"/>. Returns the bytes the action was
    /// applied to; <paramref name="szOpsFilterPassed"/> gets the bytes that passed the ops filters.
    /// </summary>
    public virtual ulong ApplyScheme(DamonContext ctx, Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        szOpsFilterPassed = 0;
        return 0;
    }

    /// <summary>
    /// Bytes of <paramref name="r"/> in LRU folios on node <paramref name="nid"/>: the numerator
    /// of the node_eligible_mem_bp quota goal (paddr; damos_calc_eligible_bytes). Sets that cannot
    /// tell report 0, the kernel's value.
    /// </summary>
    public virtual ulong BytesOnNode(DamonContext ctx, Target t, Region r, int nid) => 0;

    /// <summary>
    /// Bytes of <paramref name="r"/> in LRU folios on any node: the denominator of
    /// node_eligible_mem_bp. damos_calc_eligible_bytes counts only the folios damon_get_folio
    /// finds (PG_lru), so free or kernel memory inside a region is not eligible.
    /// </summary>
    public virtual ulong LruBytes(DamonContext ctx, Target t, Region r) => 0;

    /// <summary>Whether the target still exists (vaddr: the process is alive).</summary>
    public virtual bool TargetValid(Target t) => true;

    /// <summary>Release what the set holds for the target (vaddr: the pid reference).</summary>
    public virtual void CleanupTarget(Target t) { }

    public override string ToString() => Id.SysfsName();
}
