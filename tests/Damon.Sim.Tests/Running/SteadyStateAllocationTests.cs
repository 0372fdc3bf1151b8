using Damon.Core.Operations;
using Damon.Sim.Running;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>
/// Issue 14's "0 bytes allocated per step", end to end through the simulator's vaddr operations
/// and a running workload: every allocation in steady state is the target's region free list
/// growing to a new high-water mark of regions, so a step that made no new region allocates nothing.
/// </summary>
public class SteadyStateAllocationTests
{
    [Fact]
    public void StepsThatMakeNoNewRegionAllocateNothing()
    {
        var w = new HotRangeWorkload(64 * MiB, 16 * MiB, 8 * MiB);
        var sim = new Simulation(TwoTier(256, 256), w, seed: 9);
        var ctx = sim.AddContext(OperationsId.Vaddr);
        sim.AddVaddrTarget(ctx, w.Pid);
        // Populate, the first aggregations and the first use of every path.
        sim.RunFor(1_000_000);
        var t = ctx.Targets[0];
        int nrQuiet = 0;
        long quietBytes = 0;
        for (int i = 0; i < 30; i++)
        {
            int made = t.NrRegionsMade;
            long before = GC.GetAllocatedBytesForCurrentThread();
            // One aggregation interval (the default 100 ms): 20 samples, a merge, a split, an ops update every tenth.
            sim.RunFor(100_000);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (t.NrRegionsMade != made)
                continue;
            nrQuiet++;
            quietBytes += bytes;
        }
        Assert.Equal(0, quietBytes);
        // The region count settles well before its high-water mark needs raising every interval.
        Assert.True(nrQuiet >= 20, $"only {nrQuiet} of 30 intervals made no new region");
    }
}
