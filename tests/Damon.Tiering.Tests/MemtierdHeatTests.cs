using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.Memtierd;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class MemtierdHeatTests
{
    [Fact]
    public void Heat_decays_by_half_life_and_classes_map_ranges_to_nodes()
    {
        var policy = new MemtierdHeatPolicy(new MemtierdHeatParams { TrackerIntervalMs = 100, HalfLifeMs = 100 });
        var w = new TinyMachine.MapOnly(512, 0);                   // 2 MiB, 2 MiB aligned: two ranges of 256 pages
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        var m = sim.Machine;
        TinyMachine.Touch(m, w.Tid, w.Start, 512);
        ulong range0 = (w.Start >> PageSizes.PageShift) / 256;
        bool AllOn(int nid) => Enumerable.Range(0, 512).All(p => m.NodeOfAddr(1, w.Start + (ulong)p * PageSizes.PageSize) == nid);
        Assert.True(AllOn(1));

        policy.Tick(0);                                            // 256 accessed pages per range: top class, promoted
        Assert.Equal(256, policy.HeatOf(1, range0));
        Assert.Equal(3, policy.ClassOf(policy.HeatOf(1, range0)));
        Assert.True(AllOn(0));

        policy.Tick(100_000);                                      // one half-life, no accesses: 128, class 2
        Assert.Equal(128, policy.HeatOf(1, range0), 6);
        policy.Tick(200_000);                                      // 64: class 1, still fast
        Assert.Equal(1, policy.ClassOf(policy.HeatOf(1, range0)));
        Assert.True(AllOn(0));
        policy.Tick(300_000);                                      // 32: class 0, demoted
        Assert.Equal(0, policy.ClassOf(policy.HeatOf(1, range0)));
        Assert.True(AllOn(1));
    }
}
