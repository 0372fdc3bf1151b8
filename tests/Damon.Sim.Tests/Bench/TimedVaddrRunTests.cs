using Damon.Core.Monitoring;
using Damon.Sim.Bench;
using Damon.Sim.Workloads.Gups;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Bench;

public class TimedVaddrRunTests
{
    /// <summary>A CPU clock that moves 1,000 ns per read, so every share is a count of reads.</summary>
    private sealed class CountingClock
    {
        private long _ns;
        public long NowNs() => _ns += 1000;
    }

    private static TimedVaddrRun NewRun(CountingClock clock)
    {
        var gups = new GupsWorkload(new GupsOptions { SizeBytes = 8UL << 20, HotBytes = 1UL << 20 });
        var run = new TimedVaddrRun(TwoTier(), gups, MonitoringAttrs.Default, seed: 1, clock.NowNs);
        run.Ctx.AddTarget(new Target(run.Machine.Processes[0].Pid));
        run.Start();
        return run;
    }

    [Fact]
    public void EngineShareIsTheRunsReadsMinusTheWorlds()
    {
        var run = NewRun(new CountingClock());
        run.RunUntil(200_000);
        // One RunUntil reads the clock twice around its k world advances, each read twice:
        // run = (2k + 1) × 1,000 ns, world = k × 1,000 ns, engine = world + 1,000 ns.
        Assert.True(run.WorldNs > 0);
        Assert.Equal(run.WorldNs + 1000, run.EngineNs());
        Assert.Equal(2 * run.WorldNs + 1000, run.RunNs);
    }

    [Fact]
    public void WorldAdvancedOutsideARunCountsInNeitherShare()
    {
        // The 1 TiB tuned accuracy case printed a negative engine cost: the world advanced while
        // stopping was counted as machine time but not as run time.
        var run = NewRun(new CountingClock());
        run.RunUntil(200_000);
        long engineNs = run.EngineNs(), worldNs = run.WorldNs;
        run.Sim.RunFor(2_000_000);
        run.Stop();
        Assert.Equal(worldNs, run.WorldNs);
        Assert.Equal(engineNs, run.EngineNs());
        Assert.True(run.EngineNs() > 0);
    }
}
