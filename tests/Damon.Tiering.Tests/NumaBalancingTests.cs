using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Sim.Workloads;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class NumaBalancingTests
{
    // 32 MiB fast node = 8192 frames, watermarks 1/2/3 ‰: min 8, low 16, high 24, WMARK_PROMO =
    // high + (low − min) = 32. "Plenty of free space" is free > 32 + 8192/16 (512) = 544 pages.
    // The filler leaves 400 pages free: not plenty, but room for promotions.
    private const ulong FillerPages = 8192 - 400;

    /// <summary>The kernel's defaults with the first scan at once (scan_delay 0), where the delay is not under test.</summary>
    private static NumaBalancingParams NoDelay => new() { ScanDelayMs = 0 };

    private static (Simulation Sim, TinyMachine.MapOnly W) Setup(NumaBalancingPolicy policy, ulong appPages, ulong fillerPages = FillerPages)
    {
        var w = new TinyMachine.MapOnly(appPages, fillerPages);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        TinyMachine.Touch(sim.Machine, w.Tid, w.FillerStart, fillerPages);
        TinyMachine.Touch(sim.Machine, w.Tid, w.Start, appPages);
        return (sim, w);
    }

    private static void ClockTo(Damon.Sim.Machine.SimMachine m, int tid, ulong ns) => m.ChargeThread(tid, ns - m.Thread(tid).ClockNs);

    private static ulong Page(TinyMachine.MapOnly w, int i) => w.Start + (ulong)i * PageSizes.PageSize;

    [Fact]
    public void Promotes_only_pages_whose_hint_fault_comes_within_the_hot_threshold()
    {
        var policy = new NumaBalancingPolicy(NoDelay);
        var (sim, w) = Setup(policy, 2);
        var m = sim.Machine;
        ulong a = Page(w, 0), b = Page(w, 1);
        Assert.Equal(1, m.NodeOfAddr(1, a));
        policy.Tick(0);                                   // scan: both pages PROT_NONE, stamped at 0 ms
        ClockTo(m, w.Tid, 500_000_000);
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
        var policy = new NumaBalancingPolicy(NoDelay);
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
        var policy = new NumaBalancingPolicy(NoDelay with { PromoteRateLimitMBps = 1 });
        var (sim, w) = Setup(policy, 300);
        var m = sim.Machine;
        policy.Tick(0);
        TinyMachine.Touch(m, w.Tid, w.Start, 300);
        Assert.Equal(300UL, policy.NrCandidates);
        Assert.Equal(255UL, policy.NrPromoted);
        Assert.Equal(45UL, policy.NrRateLimited);
    }

    [Fact]
    public void The_threshold_drops_by_ref_th_times_2_over_16_when_candidates_exceed_the_rate_limit()
    {
        // Rate limit 1 MB/s = 256 pages/s, adjust period 100 ms: ref_cand = 256 × 100 / 1000 = 25,
        // 110 % of it is 25 × 11 / 10 = 27. unit_th = ref_th × 2 / 16 = 1000 × 2 / 16 = 125.
        var policy = new NumaBalancingPolicy(NoDelay with { PromoteRateLimitMBps = 1, AdjustPeriodMs = 100 });
        var (sim, w) = Setup(policy, 300);
        var m = sim.Machine;
        policy.Tick(0);
        // 300 faults at 50 ms: within the first period (50 − 0 ≤ 100), no adjustment; all 300 are
        // candidates (latency 50 < 1000), 255 promoted, 45 rate-limited and left on the slow node.
        ClockTo(m, w.Tid, 50_000_000);
        TinyMachine.Touch(m, w.Tid, w.Start, 300);
        Assert.Equal((1000UL, 300UL, 45UL), (policy.ThresholdMs, policy.NrCandidates, 300 - policy.NrPromoted));
        // The first promotion completed a pass, so the period doubled to 2000 ms: the next scan is at
        // 50 + 2000 = 2050 ms and makes the 45 slow pages PROT_NONE again.
        policy.Tick(2_040_000);
        Assert.Equal(1u, policy.ScanSeqOf(1));
        policy.Tick(2_050_000);
        Assert.Equal(2u, policy.ScanSeqOf(1));
        // The next fault (2100 ms) closes the period: 300 candidates > 27 → max(1000 − 125, 125) = 875
        // (tiering.md §2.3's RFC step, 1000/16, would give 938).
        ClockTo(m, w.Tid, 2_100_000_000);
        ulong slowPage = Enumerable.Range(0, 300).Select(i => Page(w, i)).First(a => m.NodeOfAddr(1, a) == 1);
        TinyMachine.Touch(m, w.Tid, slowPage, 1);
        Assert.Equal(875UL, policy.ThresholdMs);
    }

    [Fact]
    public void The_threshold_rises_by_the_step_up_to_twice_the_sysctl_and_resets_when_free_space_is_plenty()
    {
        // Default rate limit (65536 MB/s) makes ref_cand huge, so every period with a fault is below
        // 90 % and the threshold rises by 125: 1125, 1250, ..., 2000 after 8 periods, and stays at
        // 2 × ref_th = 2000 after a ninth.
        var policy = new NumaBalancingPolicy(NoDelay with { AdjustPeriodMs = 100 });
        var (sim, w) = Setup(policy, 10);
        var m = sim.Machine;
        policy.Tick(0);                                   // all 10 pages PROT_NONE
        var seen = new List<ulong>();
        for (int i = 0; i < 9; i++)
        {
            ClockTo(m, w.Tid, (ulong)(150 * (i + 1)) * 1_000_000);
            TinyMachine.Touch(m, w.Tid, Page(w, i), 1);
            seen.Add(policy.ThresholdMs);
        }
        Assert.Equal(new ulong[] { 1125, 1250, 1375, 1500, 1625, 1750, 1875, 2000, 2000 }, seen);

        // Free the filler: 400 + 7792 free, far above 544. The last page faults 3 s after its scan
        // (beyond any threshold) and is promoted anyway, and nbp_threshold is reset to the sysctl.
        m.Munmap(1, w.FillerStart, FillerPages * PageSizes.PageSize);
        ClockTo(m, w.Tid, 3_000_000_000);
        TinyMachine.Touch(m, w.Tid, Page(w, 9), 1);
        Assert.Equal(0, m.NodeOfAddr(1, Page(w, 9)));
        Assert.Equal((1000UL, 1UL), (policy.ThresholdMs, policy.NrCandidatesNrl));
    }

    [Theory]
    [InlineData(MapFlags.Anon)]
    [InlineData(MapFlags.Thp)]
    public void A_scan_charges_whole_chunks_of_address_space_to_the_budget_whatever_the_folio_size(MapFlags flags)
    {
        // scan_size 1 MiB = 256 pages. task_numa_work's chunk is [start, ALIGN(start + 1 MiB, 2 MiB)):
        // with the mapping 2 MiB aligned that is 512 pages, and one chunk with any PTE changed spends
        // 512 ≥ 256 of the budget. So a scan marks 512 base pages — one 2 MiB folio, or 512 4 KiB
        // pages — and the next scan the next 512: the budget is address space, a THP counts its
        // 512 pages (change_pmd_range's HPAGE_PMD_NR), neither once nor 512 times.
        var policy = new NumaBalancingPolicy(NoDelay with { ScanSizeMiB = 1 });
        var w = new TinyMachine.MapOnly(2048, 0, flags);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.Start, 2048);
        Assert.Equal(0UL, w.Start % (2UL << 20));
        Assert.Equal(flags == MapFlags.Thp, m.TryTranslate(1, w.Start, out uint f) && m.Frames.FolioNrPages(m.Frames.FolioHead(f)) == 512);

        policy.Tick(0);
        Assert.Equal(512UL, policy.NrPteUpdates);
        ulong period = policy.ScanPeriodMsOf(1);
        policy.Tick(period * 1000);
        Assert.Equal(1024UL, policy.NrPteUpdates);
    }

    [Fact]
    public void The_first_scan_waits_for_scan_delay_and_the_period_doubles_up_to_task_scan_max()
    {
        // RSS 64 pages: one 256 MB window, so task_scan_min = max(1000 / (2560 / 256), 1000 / 1) =
        // 1000 ms and task_scan_max = 60000 / 1 = 60000 ms. No filler: the fast node has plenty of
        // free space and every hint fault promotes. Each promoted fault after a completed pass is
        // recorded, and update_task_scan_period doubles the period (local + shared = 0): 2000, 4000,
        // 8000, 16000, 32000, then min(60000, 64000) = 60000, and 60000 again.
        var policy = new NumaBalancingPolicy();
        var (sim, w) = Setup(policy, 64, fillerPages: 0);
        var m = sim.Machine;
        policy.Tick(0);                                   // the process is seen at 0: mm->numa_next_scan = 1000
        policy.Tick(990_000);
        Assert.Equal(0u, policy.ScanSeqOf(1));            // scan_delay is 1000 ms
        policy.Tick(1_000_000);
        Assert.Equal((1u, 1000UL), (policy.ScanSeqOf(1), policy.ScanPeriodMsOf(1)));

        var periods = new List<ulong>();
        ulong scanMs = 1000;
        for (int i = 0; i < 7; i++)
        {
            ulong faultMs = scanMs + 100;
            ClockTo(m, w.Tid, faultMs * 1_000_000);
            TinyMachine.Touch(m, w.Tid, Page(w, i), 1);
            Assert.Equal(0, m.NodeOfAddr(1, Page(w, i)));
            ulong period = policy.ScanPeriodMsOf(1);
            periods.Add(period);
            scanMs = faultMs + period;                    // mm->numa_next_scan = now + period
            policy.Tick((scanMs - 10) * 1000);
            Assert.Equal((uint)(i + 1), policy.ScanSeqOf(1));
            policy.Tick(scanMs * 1000);
            Assert.Equal((uint)(i + 2), policy.ScanSeqOf(1));
        }
        Assert.Equal(new ulong[] { 2000, 4000, 8000, 16000, 32000, 60000, 60000 }, periods);
    }

    [Fact]
    public void A_large_rss_shortens_the_scan_period_by_its_scan_windows()
    {
        // scan_size 16 MiB = 4096 pages; RSS 10000 pages → ceil(10000 / 4096) = 3 windows.
        // task_scan_min = max(1000 / (2560 / 16), 1000 / 3) = max(6, 333) = 333 ms.
        var policy = new NumaBalancingPolicy(NoDelay with { ScanSizeMiB = 16 });
        var (_, _) = Setup(policy, 10_000, fillerPages: 0);
        policy.Tick(0);
        Assert.Equal(333UL, policy.ScanPeriodMsOf(1));
    }

    [Fact]
    public void Kswapd_woken_by_an_allocation_balances_the_fast_node_to_wmark_promo()
    {
        // Filling the fast node to 10 free pages (below low, 16) wakes kswapd; the machine's kswapd
        // stops at high (24), and in tiering mode it goes on to WMARK_PROMO = 24 + (16 − 8) = 32:
        // 32 − 10 = 22 pages demoted in all.
        var policy = new NumaBalancingPolicy(NoDelay);
        var w = new TinyMachine.MapOnly(1, 8192 - 10);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.FillerStart, 8192 - 10);
        Assert.Equal(10UL, m.Node(0).NrFree);
        m.Tick(1_000_000_000);
        Assert.Equal(24UL, m.Node(0).NrFree);
        policy.Tick(1_000_000);
        m.Tick(2_000_000_000);
        Assert.Equal((32UL, 22UL), (m.Node(0).NrFree, m.NrDemotedPages));
    }

    [Fact]
    public void A_refused_promotion_wakes_kswapd_toward_wmark_promo()
    {
        // 20 free pages: not above high (24) + 1, so migrate_misplaced_folio refuses the candidate
        // and numamigrate_isolate_folio wakes kswapd, which balances to WMARK_PROMO = 32 free:
        // 12 pages demoted. (TPP's refusal wakes nobody; its own watermark does, TppTests.)
        var policy = new NumaBalancingPolicy(NoDelay);
        var (sim, w) = Setup(policy, 1, fillerPages: 8192 - 20);
        var m = sim.Machine;
        Assert.Equal(20UL, m.Node(0).NrFree);
        policy.Tick(0);
        TinyMachine.Touch(m, w.Tid, w.Start, 1);
        Assert.Equal((1UL, 0UL, 1), (policy.NrCandidates, policy.NrPromoted, m.NodeOfAddr(1, w.Start)));
        m.Tick(1_000_000_000);
        Assert.Equal((32UL, 12UL), (m.Node(0).NrFree, m.NrDemotedPages));
    }
}
