using Damon.Core.Schemes;
using Damon.Sim.Operations;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class PaddrTests
{
    [Fact]
    public void ReverseMapLeadsFromFrameBackToProcessAndPage()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        for (ulong off = 0; off < MiB; off += 64 * 1024)
        {
            Assert.True(m.TryTranslate(pid, a + off, out uint f));
            Assert.Equal(pid, m.Frames.OwnerPid(f));
            Assert.Equal((a + off) >> 12, m.Frames.OwnerVpage(f));
        }
        // After migration the rmap and the PTE follow the page.
        Assert.True(m.TryTranslate(pid, a, out uint old));
        Assert.Equal(1u, m.MigrateFolio(old, 1, out _));
        Assert.True(m.TryTranslate(pid, a, out uint moved));
        Assert.NotEqual(old, moved);
        Assert.Equal(1, m.NodeOfFrame(moved));
        Assert.Equal(a >> 12, m.Frames.OwnerVpage(moved));
        Assert.Equal(pid, m.Frames.OwnerPid(moved));
    }

    [Fact]
    public void PaddrChecksAccessesThroughPhysicalAddresses()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4096);
        Touch(m, tid, a, 4096);
        Assert.True(m.TryTranslate(pid, a, out uint f));
        ulong pa = (ulong)f << 12;
        var ops = new SimPaddrOperations(m);
        var (ctx, _, r) = OpsTestContext.Make(ops, 0, pa, pa + 4096);
        ops.PrepareAccessChecks(ctx);
        Assert.Equal(0u, ops.CheckAccesses(ctx));
        ops.PrepareAccessChecks(ctx);
        Touch(m, tid, a, 4096);
        ops.CheckAccesses(ctx);
        Assert.Equal(1u, r.NrAccesses);
    }

    [Fact]
    public void AddrUnitScalesCoreAddressesToPhysicalOnes()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB);
        Touch(m, tid, a, 2 * MiB);
        var (start, end) = OpsTestContext.Node0(m);
        var ops = new SimPaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, 0, start / 1024, end / 1024, addrUnit: 1024);
        var s = OpsTestContext.Scheme(DamosAction.LruPrio);
        ulong applied = ops.ApplyScheme(ctx, t, r, s, out ulong passed);
        // 512 pages of 4 KiB, reported in units of 1 KiB.
        Assert.Equal(2 * MiB / 1024, applied);
        Assert.Equal(2 * MiB / 1024, passed);
        Assert.Equal(2 * MiB / 1024, ops.BytesOnNode(ctx, t, r, 0));
        Assert.Equal(0UL, ops.BytesOnNode(ctx, t, r, 1));
    }

    [Fact]
    public void FreeFramesAreNeverAccessed()
    {
        var m = WithProcess(TwoTier(), out _, out _);
        var (start, _) = OpsTestContext.Node0(m);
        var ops = new SimPaddrOperations(m);
        var (ctx, _, r) = OpsTestContext.Make(ops, 0, start, start + MiB);
        for (int i = 0; i < 5; i++)
        {
            ops.PrepareAccessChecks(ctx);
            ops.CheckAccesses(ctx);
        }
        Assert.Equal(0u, r.NrAccesses);
    }
}
