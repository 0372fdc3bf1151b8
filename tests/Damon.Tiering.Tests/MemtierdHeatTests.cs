using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.Memtierd;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class MemtierdHeatTests
{
    [Fact]
    public void Heat_decays_by_half_life_and_classes_map_ranges_to_nodes_one_mover_task_per_interval()
    {
        var policy = new MemtierdHeatPolicy(new MemtierdHeatParams { TrackerIntervalMs = 100, HalfLifeMs = 100 });
        var w = new TinyMachine.MapOnly(512, 0);                   // 2 MiB, 2 MiB aligned: two ranges of 256 pages
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.Start, 512);
        ulong range0 = (w.Start >> PageSizes.PageShift) / 256;
        bool On(int range, int nid) => Enumerable.Range(256 * range, 256).All(p => m.NodeOfAddr(1, w.Start + (ulong)p * PageSizes.PageSize) == nid);
        Assert.True(On(0, 1) && On(1, 1));

        // 256 accessed pages per range: top class. Tasks are planned hottest first, equal heat in
        // address order (range 0, range 1), and the mover pops the last one: range 1 moves first.
        policy.Tick(0);
        Assert.Equal(256, policy.HeatOf(1, range0));
        Assert.Equal(3, policy.ClassOf(policy.HeatOf(1, range0)));
        Assert.True(On(0, 1) && On(1, 0));
        policy.Tick(20_000);                                       // next mover interval: range 0
        Assert.True(On(0, 0) && On(1, 0));

        policy.Tick(100_000);                                      // one half-life, no accesses: 128, class 2
        Assert.Equal(128, policy.HeatOf(1, range0), 6);
        policy.Tick(200_000);                                      // 64: class 1, still fast
        Assert.Equal(1, policy.ClassOf(policy.HeatOf(1, range0)));
        Assert.True(On(0, 0) && On(1, 0));
        policy.Tick(300_000);                                      // 32: class 0, demoted, range 1 first
        Assert.Equal(0, policy.ClassOf(policy.HeatOf(1, range0)));
        Assert.True(On(0, 0) && On(1, 1));
        policy.Tick(320_000);
        Assert.True(On(0, 1) && On(1, 1));
    }

    [Fact]
    public void Heat_is_capped_at_heat_max()
    {
        // Both trackings see all 256 pages accessed. Uncapped, heat would be 256 + 256 / 2 = 384 and
        // one idle half-life later 192; counters_heatmap.go caps it at HeatMax after each update:
        // min(256, 384) = 256, then 128.
        var policy = new MemtierdHeatPolicy(new MemtierdHeatParams { TrackerIntervalMs = 100, HalfLifeMs = 100 });
        var (sim, w) = Setup(policy);
        var m = sim.Machine;
        ulong range0 = (w.Start >> PageSizes.PageShift) / 256;
        TinyMachine.Touch(m, w.Tid, w.Start, 256);
        policy.Tick(0);
        TinyMachine.Touch(m, w.Tid, w.Start, 256);
        policy.Tick(100_000);
        Assert.Equal(256, policy.HeatOf(1, range0), 6);
        policy.Tick(200_000);
        Assert.Equal(128, policy.HeatOf(1, range0), 6);
    }

    private static (Simulation Sim, TinyMachine.MapOnly W) Setup(MemtierdHeatPolicy policy)
    {
        var w = new TinyMachine.MapOnly(512, 0);                   // 2 MiB, 2 MiB aligned: ranges of 256 pages
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        return (sim, w);
    }

    [Fact]
    public void The_mover_moves_at_most_its_bandwidth_per_mover_interval()
    {
        // mover.go: count = (4 MiB/s / 4 KiB = 1024 pages/s) × 128 ms / 1000 = 131 pages (131.07,
        // integer division) per mover interval, of one task. Both ranges are fully accessed (heat
        // 256, top class): tasks [range 0, range 1], popped from the end. Range 1 takes two
        // intervals (131 + 125 pages), then range 0 starts.
        var policy = new MemtierdHeatPolicy(new MemtierdHeatParams { MoverMBps = 4, MoverIntervalMs = 128, TrackerIntervalMs = 1000 });
        var (sim, w) = Setup(policy);
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.Start, 512);

        policy.Tick(0);                                            // track, then the first move
        Assert.Equal(131UL, m.MigratedPages(1, 0));
        policy.Tick(64_000);                                       // not a mover tick yet
        Assert.Equal(131UL, m.MigratedPages(1, 0));
        policy.Tick(128_000);
        Assert.Equal(256UL, m.MigratedPages(1, 0));
        Assert.All(Enumerable.Range(256, 256), p => Assert.Equal(0, m.NodeOfAddr(1, w.Start + (ulong)p * PageSizes.PageSize)));
        policy.Tick(256_000);
        Assert.Equal(387UL, m.MigratedPages(1, 0));
    }

    [Fact]
    public void Ranges_go_to_the_fast_node_only_from_the_configured_heat_class()
    {
        // Four classes over heat 0..256 (64 per class), fast from class 2: range 0 with 128 accessed
        // pages is class 2 (128 / 64) and is promoted; range 1 with 127 is class 1 (1.98, truncated)
        // and stays, though the default map (fast from class 1) would promote it.
        var policy = new MemtierdHeatPolicy(new MemtierdHeatParams { FastFromClass = 2 });
        var (sim, w) = Setup(policy);
        var m = sim.Machine;
        ulong range1 = w.Start + 256 * PageSizes.PageSize;
        TinyMachine.Touch(m, w.Tid, w.Start, 128);
        TinyMachine.Touch(m, w.Tid, range1, 127);

        policy.Tick(0);

        ulong r0 = (w.Start >> PageSizes.PageShift) / 256;
        Assert.Equal((128.0, 127.0), (policy.HeatOf(1, r0), policy.HeatOf(1, r0 + 1)));
        Assert.Equal((2, 1), (policy.ClassOf(128), policy.ClassOf(127)));
        Assert.All(Enumerable.Range(0, 128), p => Assert.Equal(0, m.NodeOfAddr(1, w.Start + (ulong)p * PageSizes.PageSize)));
        Assert.All(Enumerable.Range(0, 127), p => Assert.Equal(1, m.NodeOfAddr(1, range1 + (ulong)p * PageSizes.PageSize)));
    }
}
