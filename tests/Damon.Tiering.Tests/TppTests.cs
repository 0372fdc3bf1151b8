using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.Policy;
using Damon.Tiering.Tpp;
using Xunit;

namespace Damon.Tiering.Tests;

public class TppTests
{
    // 32 MiB fast node = 8192 frames, watermarks 1/2/3 ‰: high 24. WMARK_DEMOTE =
    // 8192 × 200 / 10000 = 163 (163.84 truncated), above 2 × high = 48 and below 8192: 163 pages.
    private const ulong DemoteWmark = 163;

    private static TppPolicy NoDelay() => new(new NumaBalancingParams { ScanDelayMs = 0 });

    private static void ClockTo(SimMachine m, int tid, ulong ns) => m.ChargeThread(tid, ns - m.Thread(tid).ClockNs);

    /// <summary>The policy attached to a tiny machine running <paramref name="w"/>.</summary>
    private static SimMachine Attached(NumaBalancingPolicy policy, TinyMachine.MapOnly w)
    {
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        return sim.Machine;
    }

    [Fact]
    public void The_demotion_watermark_is_demote_scale_factor_of_the_node_clamped_to_twice_high()
    {
        var policy = NoDelay();
        Attached(policy, new TinyMachine.MapOnly(1, 0));
        Assert.Equal(DemoteWmark, policy.DemoteWmarkPages);

        // demote_scale_factor 10 (0.1 %): 8192 × 10 / 10000 = 8, below 2 × high = 48, so 48.
        var low = new TppPolicy(new NumaBalancingParams { ScanDelayMs = 0 }, demoteScaleFactor: 10);
        Attached(low, new TinyMachine.MapOnly(1, 0));
        Assert.Equal(48UL, low.DemoteWmarkPages);
    }

    [Fact]
    public void A_page_is_promoted_on_its_third_hint_fault_referenced_then_activated_then_moved()
    {
        // mark_page_accessed: the first fault sets PG_referenced, the second activates, the third
        // finds the page active and promotes it. Every fault is recorded (no tiering early return
        // in TPP's tree), so the scan period doubles after each pass: scans at 0, 0 + 2000 and
        // 2100 + 4000 = 6100 ms.
        var policy = NoDelay();
        var w = new TinyMachine.MapOnly(1, 0);
        var m = Attached(policy, w);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);
        Assert.True(m.TryTranslate(1, w.Start, out uint frame));

        policy.Tick(0);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);          // first fault: PG_referenced
        Assert.Equal((1, false), (m.NodeOfAddr(1, w.Start), m.IsActive(frame)));
        policy.Tick(2_000_000);
        ClockTo(m, w.Tid, 2_100_000_000);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);          // second fault: activated
        Assert.Equal((1, true), (m.NodeOfAddr(1, w.Start), m.IsActive(frame)));
        policy.Tick(6_100_000);
        ClockTo(m, w.Tid, 6_200_000_000);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);          // third fault: promoted, 4.1 s after the second
        Assert.Equal(0, m.NodeOfAddr(1, w.Start));
        Assert.Equal((3UL, 1UL), (m.NrHintFaults, policy.NrPromoted));
    }

    /// <summary>The fast node filled to <paramref name="freePages"/> free pages, then one policy tick and 1 s of kswapd.</summary>
    private static SimMachine TickWithFree(NumaBalancingPolicy policy, ulong freePages)
    {
        var w = new TinyMachine.MapOnly(1, 8192 - freePages);
        var m = Attached(policy, w);
        TinyMachine.Touch(m, w.Tid, w.FillerStart, 8192 - freePages);
        Assert.Equal(freePages, m.Node(0).NrFree);
        policy.Tick(0);
        m.Tick(1_000_000_000);
        return m;
    }

    [Fact]
    public void Kswapd_keeps_the_fast_node_free_up_to_the_demotion_watermark()
    {
        // 100 free is above low (16), so no allocation woke kswapd; TPP's check_toptier_balanced
        // does, and kswapd demotes until 163 are free: 63 pages go to the slow node.
        var tpp = TickWithFree(NoDelay(), 100);
        Assert.Equal(DemoteWmark, tpp.Node(0).NrFree);
        Assert.Equal((63UL, 63UL), (tpp.NrDemotedPages, tpp.MigratedPages(0, 1)));

        // Plain NUMA balancing has no such watermark: 100 free is above low, kswapd sleeps.
        var numab = TickWithFree(new NumaBalancingPolicy(new NumaBalancingParams { ScanDelayMs = 0 }), 100);
        Assert.Equal((100UL, 0UL), (numab.Node(0).NrFree, numab.NrDemotedPages));

        // At 163 free TPP is at its watermark and demotes nothing.
        Assert.Equal(0UL, TickWithFree(NoDelay(), DemoteWmark).NrDemotedPages);
    }

    [Fact]
    public void A_promotion_into_a_node_without_room_is_refused_and_kswapd_refills_to_the_demotion_watermark()
    {
        // 20 free pages: not above high (24) + 1, so migrate_balanced_pgdat refuses the active page.
        // TPP's refusal wakes nobody; the tick's check (20 < 163) has kswapd demote to 163 free.
        var policy = NoDelay();
        var w = new TinyMachine.MapOnly(1, 8192 - 20);
        var m = Attached(policy, w);
        TinyMachine.Touch(m, w.Tid, w.FillerStart, 8192 - 20);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);
        Assert.True(m.TryTranslate(1, w.Start, out uint frame));
        m.SetFolioActive(frame, true);
        policy.Tick(0);                                   // scan: PROT_NONE; kswapd woken toward 163
        TinyMachine.Touch(m, w.Tid, w.Start, 1);          // hint fault before kswapd ran: refused

        Assert.Equal((1UL, 0UL), (policy.NrCandidates, policy.NrPromoted));
        Assert.Equal(1, m.NodeOfAddr(1, w.Start));
        m.Tick(1_000_000_000);
        Assert.Equal(DemoteWmark, m.Node(0).NrFree);
    }
}
