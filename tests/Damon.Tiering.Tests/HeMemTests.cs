using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.HeMem;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class HeMemTests
{
    private const ulong MiB = TinyMachine.MiB, BlockBytes = 2 * MiB, BlockPages = 512;

    [Fact]
    public void Counters_are_halved_when_one_reaches_the_cooling_threshold()
    {
        var h = new HeMemPolicy();
        h.Sample(1, 6, onSlow: true);
        h.Sample(2, 3, onSlow: true);
        h.Sample(3, 1, onSlow: true);
        Assert.Equal(0UL, h.NrCoolings);
        h.Sample(1, 4, onSlow: true);                      // page 1 reaches 10: cool everything
        Assert.Equal(1UL, h.NrCoolings);
        Assert.Equal(5u, h.CountOf(1));
        Assert.Equal(1u, h.CountOf(2));
        Assert.Equal(0u, h.CountOf(3));
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
    public void On_a_full_fast_node_cold_blocks_are_demoted_least_counted_first_and_hot_ones_stay()
    {
        // The fast node is three blocks, all filler: F0 counted 3, F1 counted 5 (hot), F2 counted 1.
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

        // A needs 512 frames: the cold list is F2 (1) then F0 (3), so all of F2 goes, although F0
        // comes first in frame order.
        policy.Tick(0);
        Assert.Equal(512, PagesOn(sim, a, 0));
        Assert.Equal((512, 512, 0), (PagesOn(sim, f0, 0), PagesOn(sim, f1, 0), PagesOn(sim, f2, 0)));

        // B and C hot: only F0 (3) is still cold (A has 4, F1 5), so one of them fits and the other
        // stays on the slow node rather than push out a hot block.
        policy.Sample(Key(b), 4, onSlow: true);
        policy.Sample(Key(c), 4, onSlow: true);
        policy.Tick(10_000);
        Assert.Equal(0, PagesOn(sim, f0, 0));
        Assert.Equal((512, 512), (PagesOn(sim, f1, 0), PagesOn(sim, a, 0)));
        Assert.Equal(512, PagesOn(sim, b, 0) + PagesOn(sim, c, 0));
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
}
