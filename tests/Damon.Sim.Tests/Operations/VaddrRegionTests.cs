using Damon.Core.Monitoring;
using Damon.Sim.Memory;
using Damon.Sim.Operations;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class VaddrRegionTests
{
    [Fact]
    public void LinuxLayoutGivesVaddrItsThreeRegions()
    {
        var m = WithProcess(TwoTier(), out int pid, out _);
        ulong heap = m.Brk(pid, 1 * MiB);
        ulong map = m.Mmap(pid, 4 * MiB);
        Assert.Equal(SimProcess.HeapStart, heap);
        Assert.True(map < SimProcess.MmapBase && map > heap + (1UL << 40));

        var ops = new SimVaddrOperations(m);
        var (ctx, t, _) = OpsTestContext.Make(ops, pid, 0, 4096);
        t.ClearRegions();
        ops.Init(ctx);
        var regions = t.Regions.Select(r => r.Range).ToArray();
        Assert.Equal(
            [
                new AddrRange(SimProcess.TextStart, SimProcess.HeapStart + MiB),
                new AddrRange(map, SimProcess.MmapBase),
                new AddrRange(SimProcess.StackTop - SimProcess.StackSize, SimProcess.StackTop),
            ],
            regions);
    }

    [Fact]
    public void UpdateFollowsNewMappings()
    {
        var m = WithProcess(TwoTier(), out int pid, out _);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, _) = OpsTestContext.Make(ops, pid, 0, 4096);
        t.ClearRegions();
        ops.Init(ctx);
        Assert.Equal(SimProcess.MmapBase - SimProcess.LibSize, t.Regions.ElementAt(1).Start);
        ulong map = m.Mmap(pid, 16 * MiB);
        ops.Update(ctx);
        Assert.Equal(map, t.Regions.ElementAt(1).Start);
    }

    [Fact]
    public void FvaddrHasNoInitOrUpdate()
    {
        var m = WithProcess(TwoTier(), out _, out _);
        var ops = new SimVaddrOperations(m, fixedRanges: true);
        Assert.Equal(Damon.Core.Operations.OperationsId.Fvaddr, ops.Id);
        Assert.False(ops.Has(Damon.Core.Operations.OpsCallbacks.Init));
        Assert.False(ops.Has(Damon.Core.Operations.OpsCallbacks.Update));
        Assert.True(ops.Has(Damon.Core.Operations.OpsCallbacks.CheckAccesses));
    }

    [Fact]
    public void VaddrSamplesFindAccessesAndMkoldClearsThem()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 64 * 1024);
        Touch(m, tid, a, 64 * 1024);
        var ops = new SimVaddrOperations(m, fixedRanges: true);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + 64 * 1024);
        ops.PrepareAccessChecks(ctx);
        Assert.InRange(r.SamplingAddr, a, a + 64 * 1024 - 1);
        Assert.Equal(0u, ops.CheckAccesses(ctx)); // made old, not touched since
        ops.PrepareAccessChecks(ctx);
        Touch(m, tid, a, 64 * 1024);
        Assert.Equal(1u, ops.CheckAccesses(ctx));
        Assert.Equal(1u, r.NrAccesses);
    }

    [Fact]
    public void RegionsSampledInTheSameFolioReuseTheResult()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * MiB, Damon.Sim.Workloads.MapFlags.Thp);
        Touch(m, tid, a, 4096); // one THP: [a, a + 2 MiB)
        var ops = new SimVaddrOperations(m, fixedRanges: true);
        var (ctx, t, r1) = OpsTestContext.Make(ops, pid, a, a + MiB);
        var r2 = t.NewRegion(a + MiB, a + 2 * MiB);
        t.AddRegion(r2);
        ops.PrepareAccessChecks(ctx);
        Touch(m, tid, a, 4096);
        // The second region's sample is in the same THP: its result is the first region's.
        Assert.Equal(1u, ops.CheckAccesses(ctx));
        Assert.Equal(1u, r1.NrAccesses);
        Assert.Equal(1u, r2.NrAccesses);
    }

    [Fact]
    public void DeadProcessIsAnInvalidTargetWithNoAccesses()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 64 * 1024);
        Touch(m, tid, a, 64 * 1024);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + 64 * 1024);
        Assert.True(ops.TargetValid(t));
        m.KillProcess(pid);
        Assert.False(ops.TargetValid(t));
        Assert.Equal(0UL, m.NodeUsedBytes(0)); // everything anonymous was freed
        ops.PrepareAccessChecks(ctx);
        Assert.Equal(0u, ops.CheckAccesses(ctx));
    }
}
