using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.FirstTouch;
using Damon.Tiering.Oracle;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class OracleTests
{
    // Page p of 600 is read p + 1 times; the fast node (2 MiB) holds 512 pages: pages 88..599 win.
    private const int NrPages = 600, FastPages = 512;

    [Fact]
    public void The_static_oracle_places_exactly_the_most_accessed_pages_on_the_fast_node()
    {
        var spec = TinyMachine.Spec(fastBytes: 2 * TinyMachine.MiB);
        var profile = AccessProfile.Record(
            new Simulation(new FirstTouchPolicy().Configure(spec), new TinyMachine.CountedTrace(NrPages), 7), 200_000, 50_000, FastPages);
        Assert.Equal(NrPages, profile.WholeRun.Count);
        Assert.All(profile.WholeRun, kv => Assert.Equal(FramePages.VpageOfKey(kv.Key) - FramePages.VpageOfKey(profile.WholeRun.Keys.Min()) + 1, kv.Value));

        var oracle = new StaticOraclePolicy(profile);
        var sim = new Simulation(oracle.Configure(spec), new TinyMachine.CountedTrace(NrPages), 7);
        oracle.Attach(sim, TierNodes.Of(sim.Machine));
        sim.RunUntil(200_000);
        oracle.Tick(200_000);
        var m = sim.Machine;
        ulong start = m.Processes[0].Vmas.First(v => v.Name == "anon").Start;
        for (int p = 0; p < NrPages; p++)
            Assert.Equal(p >= NrPages - FastPages ? 0 : 1, m.NodeOfAddr(1, start + (ulong)p * PageSizes.PageSize));
    }
}
