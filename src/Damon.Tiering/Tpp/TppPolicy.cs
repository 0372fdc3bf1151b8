using Damon.Sim.Machine;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Tpp;

/// <summary>
/// TPP as its kernel patches do it (Hasan Al Maruf, "[PATCH 0/5] Transparent Page Placement for
/// Tiered-Memory", Nov 2021), on the NUMA-balancing scanner:
/// <list type="bullet">
/// <item>Patch 5 (do_numa_page): a hint fault on a slow-tier page that is not on the active LRU
/// only calls mark_page_accessed — the first sets PG_referenced, the second activates — so a page
/// is promoted on its third fault at the earliest.</item>
/// <item>Patch 2 (should_numa_migrate_memory): a fault on an active slow-tier page is promoted,
/// with no hint-fault-latency threshold and no rate limit (TPP predates them), into a node with
/// free above high + the folio (migrate_balanced_pgdat); a refused promotion wakes nobody.</item>
/// <item>Patches 3–4: WMARK_DEMOTE = managed × demote_scale_factor / 10000 (200: 2 %), clamped to
/// [2 × high, managed]; kswapd is woken whenever free is below it (rmqueue, and each load-balance
/// tick's check_toptier_balanced) and reclaims — demotes — until free reaches it.</item>
/// <item>task_numa_fault has no tiering early return in that tree: every hint fault is recorded.</item>
/// </list>
/// </summary>
public sealed class TppPolicy(NumaBalancingParams? p = null, uint demoteScaleFactor = 200) : NumaBalancingPolicy(p)
{
    // PG_referenced as mark_page_accessed leaves it, per page key; the sim's Referenced flag is PG_young.
    private readonly HashSet<ulong> _referenced = [];

    public override string Name => "tpp";

    /// <summary>demote_scale_factor, in fractions of 10,000.</summary>
    public uint DemoteScaleFactor { get; } = demoteScaleFactor;

    /// <summary>WMARK_DEMOTE of the fast node, in pages.</summary>
    public ulong DemoteWmarkPages
    {
        get
        {
            ulong managed = Machine.Node(Nodes.Fast).NrFrames;
            ulong tmp = managed * DemoteScaleFactor / 10_000;
            tmp = Math.Max(tmp, 2 * Machine.WmarkHighPages(Nodes.Fast));
            return Math.Min(tmp, managed);
        }
    }

    protected override bool ShouldPromote(uint head, ulong nowMs)
    {
        if (!Machine.IsActive(head))
        {
            MarkPageAccessed(head);
            return false;
        }
        NrCandidates += Machine.Frames.FolioNrPages(head);   // patch 1's PGPROMOTE_CANDIDATE
        return true;
    }

    /// <summary>mark_page_accessed on an inactive page: set PG_referenced, or activate if it was set.</summary>
    private void MarkPageAccessed(uint head)
    {
        ulong key = FramePages.PageKey(Machine, head);
        if (_referenced.Remove(key))
            Machine.SetFolioActive(head, true);
        else
            _referenced.Add(key);
    }

    protected override bool RecordsFault(bool promoted) => true;

    protected override ulong KswapdBoostPages() => DemoteWmarkPages - Math.Min(DemoteWmarkPages, Machine.WmarkHighPages(Nodes.Fast));

    /// <summary>check_toptier_balanced: below WMARK_DEMOTE, kswapd runs until free reaches it.</summary>
    protected override void KeepKswapdBalanced()
    {
        int fast = Nodes.Fast;
        if (Machine.Node(fast).NrFree < DemoteWmarkPages)
            Machine.WakeKswapdBoosted(fast, KswapdBoostPages());
    }

    protected override void OnPromotionRefused() { }
}
