using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Sim.Running;
using Damon.Tiering.HeMem;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class HeMemTests
{
    private const ulong MiB = TinyMachine.MiB, BlockBytes = 2 * MiB, BlockPages = 512;

    [Fact]
    public void A_counter_above_the_cooling_threshold_ticks_the_clock_and_every_counter_is_halved_lazily()
    {
        // pebs.c cools when a counter exceeds PEBS_COOLING_THRESHOLD (10): page 1 at 10 does not,
        // at 11 it does. The clock ticks once; each counter is then worth half (11 → 5, 3 → 1, 1 → 0).
        var h = new HeMemPolicy();
        h.Sample(1, 6, onSlow: true);
        h.Sample(2, 3, onSlow: true);
        h.Sample(3, 1, onSlow: true);
        h.Sample(1, 4, onSlow: true);
        Assert.Equal((0UL, 10u), (h.NrCoolings, h.CountOf(1)));
        h.Sample(1, 1, onSlow: true);
        Assert.Equal(1UL, h.NrCoolings);
        Assert.Equal((5u, 1u, 0u), (h.CountOf(1), h.CountOf(2), h.CountOf(3)));
    }

    [Fact]
    public void The_hot_check_reads_the_counter_before_its_pending_cooling_and_the_policy_pass_drops_it()
    {
        // Page 2 has 3 samples from before the clock tick. Its next sample makes the raw counter 4:
        // pebs_scan_thread checks the hot threshold first (4 ≥ 4: hot request), then applies the
        // cooling (4 >> 1 = 2). The policy thread reads the counter (2 < 4: "it has been cooled")
        // and moves the page to the cold list instead of promoting it.
        var policy = new HeMemPolicy(NoSampling());
        var (sim, w) = Setup(policy, appBlocks: 2, fillerBlocks: 0, fastBytes: 32 * MiB);
        ulong a = w.Start, b = w.Start + BlockBytes;
        policy.Sample(Key(b), 3, onSlow: true);
        policy.Sample(Key(a), 11, onSlow: true);          // 11 > 10: the clock ticks
        Assert.Equal(1UL, policy.NrCoolings);
        policy.Sample(Key(b), 1, onSlow: true);
        Assert.True(policy.IsHotOnSlow(Key(b)));
        Assert.Equal(2u, policy.CountOf(Key(b)));

        policy.Tick(0);
        Assert.False(policy.IsHotOnSlow(Key(b)));
        Assert.Equal((0, 512), (PagesOn(sim, b, 0), PagesOn(sim, b, 1)));
        Assert.Equal(512, PagesOn(sim, a, 0));            // a, 11 raw, was promoted
    }

    // A sample period of 2^62 makes the drain of the set-up touches (one access per page) yield no
    // sample, so the counters hold exactly what a test feeds through Sample.
    private static HeMemParams NoSampling(ulong migrateBytesPerPass = 10UL << 30) =>
        new() { SamplePeriod = 1UL << 62, MigrateBytesPerPass = migrateBytesPerPass };

    /// <summary>App blocks on the slow node, filler blocks filling <paramref name="fastBytes"/> of the fast node.</summary>
    private static (Simulation Sim, TinyMachine.MapOnly W) Setup(HeMemPolicy policy, ulong appBlocks, ulong fillerBlocks, ulong fastBytes)
    {
        var w = new TinyMachine.MapOnly(appBlocks * BlockPages, fillerBlocks * BlockPages);
        var sim = new Simulation(policy.Configure(TinyMachine.Spec(fastBytes)), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        TinyMachine.Touch(sim.Machine, w.Tid, w.FillerStart, fillerBlocks * BlockPages);
        TinyMachine.Touch(sim.Machine, w.Tid, w.Start, appBlocks * BlockPages);
        return (sim, w);
    }

    private static ulong Key(ulong addr) => HeMemPolicy.BlockKey((1UL << 40) | (addr >> PageSizes.PageShift));

    /// <summary>How many of the block's 512 pages sit on <paramref name="nid"/>.</summary>
    private static int PagesOn(Simulation sim, ulong blockAddr, int nid) =>
        Enumerable.Range(0, (int)BlockPages).Count(p => sim.Machine.NodeOfAddr(1, blockAddr + (ulong)p * PageSizes.PageSize) == nid);

    [Fact]
    public void A_block_reaching_the_hot_threshold_on_the_slow_node_is_promoted_at_the_next_tick_in_the_background()
    {
        var policy = new HeMemPolicy(NoSampling());
        var (sim, w) = Setup(policy, appBlocks: 2, fillerBlocks: 0, fastBytes: 32 * MiB);
        var m = sim.Machine;
        ulong a = w.Start, b = w.Start + BlockBytes;
        policy.Sample(Key(a), 4, onSlow: true);            // at the hot threshold (4)
        policy.Sample(Key(b), 3, onSlow: true);            // one below it
        ulong clock = m.Thread(w.Tid).ClockNs, stall = m.Thread(w.Tid).StallNs;

        policy.Tick(0);

        Assert.Equal((512, 0), (PagesOn(sim, a, 0), PagesOn(sim, a, 1)));
        Assert.Equal((0, 512), (PagesOn(sim, b, 0), PagesOn(sim, b, 1)));
        // 512 base-page copies, each 2 µs fixed + 3 µs shootdown + 4096 B / 10 GB/s (409 ns) = 5,409 ns,
        // all on the policy's background account; the application thread is not charged.
        Assert.Equal(512UL * 5_409, policy.BackgroundNs);
        Assert.Equal(512UL * m.Spec.Migration.FolioCostNs(PageSizes.PageSize, thp: false), policy.BackgroundNs);
        Assert.Equal((clock, stall), (m.Thread(w.Tid).ClockNs, m.Thread(w.Tid).StallNs));
    }

    [Fact]
    public void On_a_full_fast_node_the_oldest_cold_block_is_demoted_first_and_hot_ones_stay()
    {
        // The fast node is three blocks, all filler, allocated F0, F1, F2: F0 counted 3, F1 counted
        // 5 (hot), F2 counted 1. pebs.c's dram_cold_list is FIFO in allocation order, so it is
        // [F0, F2], and the victim is F0 although F2 has fewer samples.
        var policy = new HeMemPolicy(NoSampling());
        var (sim, w) = Setup(policy, appBlocks: 3, fillerBlocks: 3, fastBytes: 3 * BlockBytes);
        var m = sim.Machine;
        Assert.Equal(0UL, m.Node(0).NrFree);
        ulong f0 = w.FillerStart, f1 = f0 + BlockBytes, f2 = f1 + BlockBytes;
        ulong a = w.Start, b = a + BlockBytes, c = b + BlockBytes;
        policy.Sample(Key(f0), 3, onSlow: false);
        policy.Sample(Key(f1), 5, onSlow: false);
        policy.Sample(Key(f2), 1, onSlow: false);
        policy.Sample(Key(a), 4, onSlow: true);

        policy.Tick(0);                                   // A needs 512 frames: all of F0 goes
        Assert.Equal(512, PagesOn(sim, a, 0));
        Assert.Equal((0, 512, 512), (PagesOn(sim, f0, 0), PagesOn(sim, f1, 0), PagesOn(sim, f2, 0)));

        // B and C hot: only F2 is still cold (A joined the hot list when promoted, F1 is hot), so
        // B, first on the slow tier's hot list, takes F2's place and C stays on the slow node
        // rather than push out a hot block.
        policy.Sample(Key(b), 4, onSlow: true);
        policy.Sample(Key(c), 4, onSlow: true);
        policy.Tick(10_000);
        Assert.Equal(0, PagesOn(sim, f2, 0));
        Assert.Equal((512, 512), (PagesOn(sim, f1, 0), PagesOn(sim, a, 0)));
        Assert.Equal((512, 0), (PagesOn(sim, b, 0), PagesOn(sim, c, 0)));
        Assert.Equal(0UL, m.Node(0).NrFree);
    }

    [Fact]
    public void The_migration_budget_caps_what_moves_in_one_policy_interval()
    {
        // Budget = 4 MiB per pass = two 2 MiB blocks; as in pebs.c it is checked between
        // blocks, so of three hot blocks two move at the first tick and the third at the next one.
        var policy = new HeMemPolicy(NoSampling(migrateBytesPerPass: 4UL << 20));
        var (sim, w) = Setup(policy, appBlocks: 3, fillerBlocks: 0, fastBytes: 32 * MiB);
        var m = sim.Machine;
        for (ulong i = 0; i < 3; i++)
            policy.Sample(Key(w.Start + i * BlockBytes), 4, onSlow: true);

        policy.Tick(0);
        Assert.Equal(1024UL, m.MigratedPages(1, 0));
        policy.Tick(10_000);
        Assert.Equal(1536UL, m.MigratedPages(1, 0));
    }

    [Fact]
    public void A_hot_block_that_found_no_room_is_promoted_once_room_appears_without_a_new_sample()
    {
        // Every fast block is hot (4 samples each), so there is no cold page to evict: pebs.c puts
        // the hot slow page back on its list instead of dropping it.
        var policy = new HeMemPolicy(NoSampling());
        var (sim, w) = Setup(policy, appBlocks: 1, fillerBlocks: 3, fastBytes: 3 * BlockBytes);
        var m = sim.Machine;
        ulong a = w.Start;
        for (ulong i = 0; i < 3; i++)
            policy.Sample(Key(w.FillerStart + i * BlockBytes), 4, onSlow: false);
        policy.Sample(Key(a), 4, onSlow: true);

        policy.Tick(0);
        Assert.Equal(0, PagesOn(sim, a, 0));

        // The application frees one fast block; A has had no sample since.
        m.Munmap(1, w.FillerStart + 2 * BlockBytes, BlockBytes);
        policy.Tick(10_000);
        Assert.Equal(512, PagesOn(sim, a, 0));
    }

    [Fact]
    public void A_cache_resident_hot_set_is_invisible_to_HeMem_and_the_flat_model_shows_it()
    {
        // Period 1, attached after the populating writes. Four loads of lines the writes left in the
        // LLC: with the cache model they are hits, no MEM_LOAD_L3_MISS_RETIRED event, so the block
        // gets no sample and stays on the slow node. Flat, every load is a miss: 4 samples, hot at
        // HOT_READ_THRESHOLD, promoted at the first pass.
        foreach (bool caches in new[] { true, false })
        {
            var policy = new HeMemPolicy(new HeMemParams { SamplePeriod = 1 });
            var w = new TinyMachine.MapOnly(BlockPages, 0);
            var sim = new Simulation(policy.Configure(TinyMachine.Spec(32 * MiB) with { Caches = caches }), w, seed: 1);
            var m = sim.Machine;
            TinyMachine.Touch(m, w.Tid, w.Start, BlockPages);
            policy.Attach(sim, TierNodes.Of(m));
            var th = m.Thread(w.Tid);
            for (ulong p = 0; p < 4; p++)
                m.RunBatch(th, [new MemAccess(w.Start + p * PageSizes.PageSize, false)], 0);

            policy.Tick(0);
            Assert.Equal(caches ? 0UL : 4UL, policy.NrSamples);
            Assert.Equal(caches ? 0 : 512, PagesOn(sim, w.Start, 0));
        }
    }

    [Fact]
    public void Store_samples_count_apart_from_loads_and_make_a_page_hot_at_the_write_threshold()
    {
        // pebs.c: hot when accesses[WRITE] >= 4 or accesses[DRAMREAD] + accesses[NVMREAD] >= 4.
        // Three loads and three stores make neither; the fourth store does.
        var h = new HeMemPolicy();
        h.Sample(1, 2, onSlow: true);
        h.Sample(1, 1, onSlow: true, HeMemEvent.DramRead);
        h.Sample(1, 3, onSlow: true, HeMemEvent.Write);
        Assert.Equal((3u, 3u, false), (h.CountOf(1), h.WriteCountOf(1), h.IsHotOnSlow(1)));
        h.Sample(1, 1, onSlow: true, HeMemEvent.Write);
        Assert.Equal((4u, true), (h.WriteCountOf(1), h.IsHotOnSlow(1)));
    }

    [Fact]
    public void A_sample_cools_only_its_own_counter_and_the_page_clock_moves_on_for_all()
    {
        // pebs_scan_thread shifts accesses[j] of the sampled event only, then sets local_clock: block
        // 1's loads (5) miss the halving that its store sample applies to its stores (4 → 2).
        var h = new HeMemPolicy();
        h.Sample(1, 5, onSlow: true);
        h.Sample(1, 3, onSlow: true, HeMemEvent.Write);
        h.Sample(2, 11, onSlow: true);                   // 11 > 10: the clock ticks
        Assert.Equal((1UL, 2u, 1u), (h.NrCoolings, h.CountOf(1), h.WriteCountOf(1)));
        h.Sample(1, 1, onSlow: true, HeMemEvent.Write);
        Assert.Equal((5u, 2u), (h.CountOf(1), h.WriteCountOf(1)));
    }
}
