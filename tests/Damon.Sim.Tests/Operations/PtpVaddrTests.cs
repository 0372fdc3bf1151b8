using Damon.Core.Monitoring;
using Damon.Sim.Memory;
using Damon.Sim.Operations;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Operations;

public class PtpVaddrTests
{
    /// <summary>Four 2 MiB regions over 8 MiB-aligned 8 MiB of a mapping, every page of them resident.</summary>
    private static (SimPtpVaddrOperations Ops, DamonContext Ctx, Region[] Regions, ulong Base, Damon.Sim.Machine.SimMachine M, int Tid) Setup()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        // 8 MiB-aligned inside a 16 MiB mapping: the four regions are one group of four PMDs (the span's).
        ulong a = (m.Mmap(pid, 16 * MiB) + 8 * MiB - 1) & ~(8 * MiB - 1);
        Touch(m, tid, a, 8 * MiB);
        var ops = new SimPtpVaddrOperations(m);
        var (ctx, t, r0) = OpsTestContext.Make(ops, pid, a, a + 2 * MiB);
        var regions = new List<Region> { r0 };
        for (ulong i = 1; i < 4; i++)
        {
            var r = t.NewRegion(a + i * 2 * MiB, a + (i + 1) * 2 * MiB);
            t.AddRegion(r);
            regions.Add(r);
        }
        return (ops, ctx, regions.ToArray(), a, m, tid);
    }

    [Fact]
    public void ARegionCountsAnAccessWhenItsSampledPmdWasWalked()
    {
        var (ops, ctx, rs, a, m, tid) = Setup();
        ops.PrepareAccessChecks(ctx);
        // Nothing walked since the prepare made the sampled entries old.
        Assert.Equal(0u, ops.CheckAccesses(ctx));
        ops.PrepareAccessChecks(ctx);
        Touch(m, tid, a + 12288, 4096);               // region 0
        Touch(m, tid, a + 5 * MiB, 4096);             // region 2
        Assert.Equal(1u, ops.CheckAccesses(ctx));
        Assert.Equal([1u, 0u, 1u, 0u], rs.Select(r => r.NrAccesses));
        // Sampling addresses stay where vaddr puts them: one random address inside each region.
        foreach (var r in rs) Assert.InRange(r.SamplingAddr, r.Start, r.End - 1);
        ops.PrepareAccessChecks(ctx);
        Assert.Equal(1u, ops.CheckAccesses(ctx));
        Assert.Equal([1u, 0u, 1u, 0u], rs.Select(r => r.NrAccesses));
    }

    [Theory]
    [InlineData(0, 0u)]
    [InlineData(2, 1u)]
    public void ASampleReadsTheSpanOfPmdsAroundItsAddress(int spanShift, uint expected)
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong map = m.Mmap(pid, 16 * MiB);
        Touch(m, tid, map, 16 * MiB);
        // One region on the 8 MiB-aligned group of four PMDs inside the mapping; its sample is
        // placed on the first PMD and only the last one is walked after the prepare.
        ulong a = (map + 8 * MiB - 1) & ~(8 * MiB - 1);
        var ops = new SimPtpVaddrOperations(m, spanShift);
        var (ctx, _, r) = OpsTestContext.Make(ops, pid, a, a + 8 * MiB);
        ops.PrepareAccessChecks(ctx);
        // The prepare made old only what its random sample reads: make the whole group old.
        m.Process(pid).PageTable.TreeBits!.TestAndClearPmdSpan(a, a, a + 8 * MiB, 2);
        Touch(m, tid, a + 6 * MiB, 4096);
        r.SamplingAddr = a + 4096;
        Assert.Equal(expected, ops.CheckAccesses(ctx));
        Assert.Equal(expected, r.NrAccesses);
    }

    [Fact]
    public void ASpanNeverReadsBlocksOutsideItsRegion()
    {
        var (ops, ctx, rs, a, m, tid) = Setup();
        Assert.Equal(SimPtpVaddrOperations.DefaultPmdSpanShift, ops.PmdSpanShift);
        ops.PrepareAccessChecks(ctx);
        // Region 3's block is walked; regions 0..2 share its group of four PMDs (a is 8 MiB-aligned), and still count nothing.
        Assert.Equal(0UL, a % (8 * MiB));
        Touch(m, tid, a + 7 * MiB, 4096);
        Assert.Equal(1u, ops.CheckAccesses(ctx));
        Assert.Equal([0u, 0u, 0u, 1u], rs.Select(r => r.NrAccesses));
    }

    [Fact]
    public void ASpanOutsideOneToSixtyFourEntriesIsRefused()
    {
        var m = WithProcess(TwoTier(), out _, out _);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimPtpVaddrOperations(m, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimPtpVaddrOperations(m, -1));
    }

    [Fact]
    public void PtpLeavesThePtesYoungBitsAlone()
    {
        var (ops, ctx, rs, _, m, _) = Setup();
        Assert.True(m.TryTranslate(ctx.Targets.First().Pid, rs[1].Start, out _));
        ops.PrepareAccessChecks(ctx);
        // vaddr's prepare would have made the sampled PTE old; ptp clears only PMD/PUD bits.
        Assert.True(m.TryTranslate(ctx.Targets.First().Pid, rs[1].SamplingAddr, out uint frame));
        Assert.True((m.Frames.GetFlags(frame) & PageFlags.Young) != 0);
        Assert.True((m.Frames.GetFlags(frame) & PageFlags.Idle) == 0);
    }

    [Fact]
    public void AClearPudAnswersWithoutThePmd()
    {
        var (ops, ctx, rs, a, m, tid) = Setup();
        ops.PrepareAccessChecks(ctx);
        Touch(m, tid, a, 8 * MiB);   // every PMD and the PUD walked
        var bits = m.Process(ctx.Targets.First().Pid).PageTable.TreeBits!;
        bits.TestAndClearPud(a);
        Assert.True(bits.PmdYoung(rs[0].SamplingAddr));
        Assert.Equal(0u, ops.CheckAccesses(ctx));
    }

    [Fact]
    public void ADeadTargetCountsNoAccesses()
    {
        var (ops, ctx, rs, a, m, tid) = Setup();
        ops.PrepareAccessChecks(ctx);
        Touch(m, tid, a, 8 * MiB);
        m.KillProcess(ctx.Targets.First().Pid);
        Assert.Equal(0u, ops.CheckAccesses(ctx));
        Assert.All(rs, r => Assert.Equal(0u, r.NrAccesses));
    }
}
