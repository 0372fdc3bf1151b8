using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.Policy;
using Damon.Tiering.Tpp;
using Xunit;

namespace Damon.Tiering.Tests;

public class NumaBalancingTests
{
    // 32 MiB fast node = 8192 frames; "plenty of free space" is > high (24) + 8192/16 (512) pages.
    // The filler leaves 400 pages free: not plenty, but room for promotions.
    private const ulong FillerPages = 8192 - 400;

    private static (Simulation Sim, TinyMachine.MapOnly W) Setup(NumaBalancingPolicy policy, ulong appPages)
    {
        var w = new TinyMachine.MapOnly(appPages, FillerPages);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        TinyMachine.Touch(sim.Machine, w.Tid, w.FillerStart, FillerPages);
        TinyMachine.Touch(sim.Machine, w.Tid, w.Start, appPages);
        return (sim, w);
    }

    [Fact]
    public void Promotes_only_pages_whose_hint_fault_comes_within_the_hot_threshold()
    {
        var policy = new NumaBalancingPolicy();
        var (sim, w) = Setup(policy, 2);
        var m = sim.Machine;
        ulong a = w.Start, b = w.Start + PageSizes.PageSize;
        Assert.Equal(1, m.NodeOfAddr(1, a));
        policy.Tick(0);                                   // scan: both pages PROT_NONE, stamped at 0 ms
        m.ChargeThread(w.Tid, 500_000_000 - m.Thread(w.Tid).ClockNs);
        TinyMachine.Touch(m, w.Tid, a, 1);                // fault 500 ms after the scan: hot
        m.ChargeThread(w.Tid, 1_000_000_000);
        TinyMachine.Touch(m, w.Tid, b, 1);                // fault 1.5 s after the scan: not hot
        Assert.Equal(0, m.NodeOfAddr(1, a));
        Assert.Equal(1, m.NodeOfAddr(1, b));
        Assert.Equal(2UL, m.NrHintFaults);
        Assert.Equal(1UL, policy.NrPromoted);
    }

    [Fact]
    public void The_promotion_cost_is_charged_to_the_faulting_thread()
    {
        var policy = new NumaBalancingPolicy();
        var (sim, w) = Setup(policy, 1);
        var m = sim.Machine;
        policy.Tick(0);
        ulong stallBefore = m.Thread(w.Tid).StallNs, clockBefore = m.Thread(w.Tid).ClockNs;
        TinyMachine.Touch(m, w.Tid, w.Start, 1);
        ulong expected = m.Spec.Faults.MinorFaultNs + m.Spec.Migration.FolioCostNs(PageSizes.PageSize, thp: false);
        Assert.Equal(expected, m.Thread(w.Tid).StallNs - stallBefore);
        Assert.True(m.Thread(w.Tid).ClockNs - clockBefore >= expected);
    }

    [Fact]
    public void The_rate_limit_caps_promotions_per_second()
    {
        // 1 MB/s = 256 pages: the 256th candidate in a window is refused (nr_cand - start >= limit).
        var policy = new NumaBalancingPolicy(new NumaBalancingParams { PromoteRateLimitMBps = 1 });
        var (sim, w) = Setup(policy, 300);
        var m = sim.Machine;
        policy.Tick(0);
        TinyMachine.Touch(m, w.Tid, w.Start, 300);
        Assert.Equal(300UL, policy.NrCandidates);
        Assert.Equal(255UL, policy.NrPromoted);
        Assert.Equal(45UL, policy.NrRateLimited);
    }

    [Fact]
    public void The_threshold_drops_by_a_sixteenth_when_candidates_exceed_the_rate_limit()
    {
        var policy = new NumaBalancingPolicy(new NumaBalancingParams { PromoteRateLimitMBps = 1, AdjustPeriodMs = 100 });
        var (sim, w) = Setup(policy, 300);
        var m = sim.Machine;
        policy.Tick(0);
        m.ChargeThread(w.Tid, 200_000_000 - m.Thread(w.Tid).ClockNs);
        // Faults at 200 ms: the first one closes the adjust period with no candidates (threshold
        // stays at its maximum, 1000 ms); the 300 that follow are candidates for the next period.
        TinyMachine.Touch(m, w.Tid, w.Start, 300);
        Assert.Equal(1000UL, policy.ThresholdMs);
        Assert.Equal(45UL, 300 - policy.NrPromoted);
        policy.Tick(1_000_000);                            // rescan: the 45 pages left on the slow node
        m.ChargeThread(w.Tid, 1_200_000_000 - m.Thread(w.Tid).ClockNs);
        // The next fault closes the period: 300 candidates > 1.1 × 25 per 100 ms → 1000 − 1000/16.
        ulong slowPage = Enumerable.Range(0, 300).Select(p => w.Start + (ulong)p * PageSizes.PageSize).First(a => m.NodeOfAddr(1, a) == 1);
        TinyMachine.Touch(m, w.Tid, slowPage, 1);
        Assert.Equal(1000UL - 62, policy.ThresholdMs);
    }

    [Fact]
    public void Tpp_promotes_on_the_second_fault_once_the_page_is_active()
    {
        var policy = new TppPolicy();
        var (sim, w) = Setup(policy, 1);
        var m = sim.Machine;
        policy.Tick(0);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);          // first fault: activated, not promoted
        Assert.Equal(1, m.NodeOfAddr(1, w.Start));
        Assert.True(m.IsActive(m.TryTranslate(1, w.Start, out uint f) ? f : 0));
        policy.Tick(1_000_000);                            // next scan period: PROT_NONE again
        m.ChargeThread(w.Tid, 1_100_000_000 - m.Thread(w.Tid).ClockNs);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);
        Assert.Equal(0, m.NodeOfAddr(1, w.Start));
    }

    /// <summary>The fast node (8192 frames) filled to <paramref name="freePages"/> free pages, then one policy tick and 1 s of kswapd.</summary>
    private static Damon.Sim.Machine.SimMachine TickWithFree(NumaBalancingPolicy policy, ulong freePages)
    {
        var w = new TinyMachine.MapOnly(1, 8192 - freePages);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.FillerStart, 8192 - freePages);
        Assert.Equal(freePages, m.Node(0).NrFree);
        policy.Tick(0);
        m.Tick(1_000_000_000);
        return m;
    }

    [Fact]
    public void Tpp_keeps_the_fast_node_free_up_to_its_demotion_watermark_above_high()
    {
        // Watermarks 1/2/3 ‰ of 8192 frames: low 16, high 24. TPP's headroom is 2 % of the node:
        // 8192 × 200 / 10000 = 163 pages, so its demotion watermark is 24 + 163 = 187 free pages.
        // With 100 free — above low, so no allocation woke kswapd — the tick wakes kswapd, which
        // demotes until exactly 187 are free: 87 pages go to the slow node.
        var tpp = TickWithFree(new TppPolicy(), 100);
        Assert.Equal(24UL + 163, tpp.Node(0).NrFree);
        Assert.Equal(87UL, tpp.NrDemotedPages);
        Assert.Equal(87UL, tpp.MigratedPages(0, 1));

        // Plain NUMA balancing has no such watermark: 100 free is above low, kswapd sleeps.
        var numab = TickWithFree(new NumaBalancingPolicy(), 100);
        Assert.Equal(100UL, numab.Node(0).NrFree);
        Assert.Equal(0UL, numab.NrDemotedPages);

        // At 187 free TPP is already at its watermark and demotes nothing.
        Assert.Equal(0UL, TickWithFree(new TppPolicy(), 187).NrDemotedPages);
    }

    [Fact]
    public void A_tpp_promotion_that_finds_no_room_wakes_kswapd_toward_the_demotion_watermark_plus_the_page()
    {
        // 20 free pages: at or below high (24) + 1, so the promotion is refused and kswapd is boosted
        // by TPP's headroom (163) + the folio (1) = 164, i.e. toward 24 + 164 = 188 free. The scan
        // tick's own wake-up asked for 163 (187 free); the larger boost wins. Plain NUMA balancing's
        // boost would be low − min + 1 = 16 − 8 + 1 = 9, which would leave the target at 187.
        var policy = new TppPolicy();
        var w = new TinyMachine.MapOnly(1, 8192 - 20);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.FillerStart, 8192 - 20);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);
        Assert.Equal(20UL, m.Node(0).NrFree);
        Assert.True(m.TryTranslate(1, w.Start, out uint frame));
        m.SetFolioActive(frame, true);                    // TPP's second observation: promotable
        policy.Tick(0);                                   // scan: PROT_NONE
        TinyMachine.Touch(m, w.Tid, w.Start, 1);          // hint fault well within 1 s: a candidate

        Assert.Equal(1UL, policy.NrCandidates);
        Assert.Equal(0UL, policy.NrPromoted);
        Assert.Equal(1, m.NodeOfAddr(1, w.Start));
        m.Tick(1_000_000_000);
        Assert.Equal(24UL + 163 + 1, m.Node(0).NrFree);
    }
}
