using Damon.Sim.Machine;
using Damon.Tiering.NumaBalancing;

namespace Damon.Tiering.Tpp;

/// <summary>
/// TPP (tiering.md §2.4) on top of NUMA-balancing tiering: a hint fault promotes only a page that is
/// already on the active LRU — an inactive one is activated instead, so promotion takes two
/// observations — and the fast node keeps headroom: kswapd demotes whenever free memory falls
/// below a demotion watermark above the high one (TPP's demote_scale_factor, 2 % of the node, [R]).
/// </summary>
public sealed class TppPolicy(NumaBalancingParams? p = null, uint demoteScaleBp = 200) : NumaBalancingPolicy(p)
{
    public override string Name => "tpp";

    public uint DemoteScaleBp { get; } = demoteScaleBp;

    private ulong DemoteHeadroomPages => (ulong)Machine.Node(Nodes.Fast).NrFrames * DemoteScaleBp / 10_000;

    protected override bool PassesExtraCheck(uint head)
    {
        if (Machine.IsActive(head))
            return true;
        Machine.SetFolioActive(head, true);   // folio_mark_accessed on the fault: promoted next time
        return false;
    }

    protected override ulong PromoBoostPages() => DemoteHeadroomPages;

    protected override void OnTick(ulong nowUs)
    {
        base.OnTick(nowUs);
        int fast = Nodes.Fast;
        if (Machine.Node(fast).NrFree < Machine.WmarkHighPages(fast) + DemoteHeadroomPages)
            Machine.WakeKswapdBoosted(fast, DemoteHeadroomPages);
    }
}
