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
}
