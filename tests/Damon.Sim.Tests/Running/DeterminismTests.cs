using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Running;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class DeterminismTests
{
    private static (string Regions, ulong Accesses, ulong Clock) Run(ulong seed)
    {
        var w = new HotRangeWorkload(32 * MiB, 8 * MiB, 4 * MiB, nrThreads: 2);
        var sim = new Simulation(TwoTier(linuxDefault: true), w, seed);
        var ctx = sim.AddContext(OperationsId.Vaddr);
        sim.AddVaddrTarget(ctx, w.Pid);
        var log = new System.Text.StringBuilder();
        sim.Snapshot += (c, now) =>
        {
            log.Append(now).Append(':');
            foreach (var r in c.Targets[0].Regions)
                log.Append(r.Start).Append('-').Append(r.End).Append('=').Append(r.NrAccesses).Append(',');
            log.Append('\n');
        };
        sim.RunFor(500_000);
        var th = sim.Machine.Threads;
        return (log.ToString(), th.Sum(t => (long)t.NrAccesses) is var n ? (ulong)n : 0, th.Max(t => t.ClockNs));
    }

    [Fact]
    public void SameSeedSameRun()
    {
        var a = Run(5);
        var b = Run(5);
        Assert.Equal(a, b);
        Assert.Equal(5, a.Regions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void DifferentSeedDifferentRun()
    {
        Assert.NotEqual(Run(5).Regions, Run(6).Regions);
    }
}
