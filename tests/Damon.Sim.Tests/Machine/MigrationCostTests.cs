using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Sim.Running;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class MigrationCostTests
{
    [Fact]
    public void BasePageCostsFixedPlusShootdownPlusCopy()
    {
        var c = new MigrationCostSpec();
        Assert.Equal(2000UL + 3000 + 409, c.FolioCostNs(4096, thp: false));
        Assert.Equal(2000UL + 3000 + 131072, c.FolioCostNs(2 * MiB, thp: true));
        // A THP is far cheaper per byte than 512 base pages.
        Assert.True(c.FolioCostNs(2 * MiB, true) * 2 < 512 * c.FolioCostNs(4096, false));
    }

    [Fact]
    public void MigrationReturnsItsCostAndLoadsBothNodes()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 2 * MiB, MapFlags.Thp);
        Touch(m, tid, a, 4096);
        m.TryTranslate(pid, a, out uint f);
        ulong b0 = m.Latency.WindowBytes[0], b1 = m.Latency.WindowBytes[1];
        Assert.Equal(512u, m.MigrateFolio(f, 1, out ulong cost));
        Assert.Equal(m.Spec.Migration.FolioCostNs(2 * MiB, thp: true), cost);
        Assert.Equal(2 * MiB, m.Latency.WindowBytes[0] - b0);
        Assert.Equal(2 * MiB, m.Latency.WindowBytes[1] - b1);
        Assert.Equal(512UL, m.MigratedPages(0, 1));
        m.TryTranslate(pid, a, out uint g);
        Assert.Equal(512u, m.Frames.FolioNrPages(g)); // still a THP
    }

    [Fact]
    public void ThpWithoutAFreeHugeBlockIsSplitAndMovedAsBasePages()
    {
        var spec = TwoTier(64, 4);
        var m = WithProcess(spec, out int pid, out int tid);
        ulong filler = m.Mmap(pid, 4096, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [1]));
        Touch(m, tid, filler, 4096); // node 1's first 2 MiB block is no longer whole
        ulong a = m.Mmap(pid, 4 * MiB, MapFlags.Thp);
        Touch(m, tid, a, 4 * MiB);
        m.TryTranslate(pid, a, out uint f1);
        Assert.Equal(512u, m.MigrateFolio(f1, 1, out _)); // takes the one whole block left
        m.TryTranslate(pid, a + 2 * MiB, out uint f2);
        uint moved = m.MigrateFolio(f2, 1, out ulong cost);
        Assert.Equal(511u, moved); // what was free, 4 KiB at a time
        Assert.Equal(511 * m.Spec.Migration.FolioCostNs(4096, false), cost);
    }

    [Fact]
    public void DamosMigrationIsChargedToTheContextsBackgroundClock()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        ulong threadClock = m.Thread(tid).ClockNs;
        ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.MigrateCold, 1), out _);
        Assert.Equal(256 * m.Spec.Migration.FolioCostNs(4096, false), m.BackgroundNs(ctx));
        Assert.Equal(threadClock, m.Thread(tid).ClockNs); // the application did not pay
        var clock = new ChargedClock(new Damon.Core.Monitoring.ManualClock { NowNs = 1000 }, m, ctx);
        Assert.Equal(1000 + m.BackgroundNs(ctx), clock.NowNs);
    }

    [Fact]
    public void SynchronousMigrationIsChargedToTheFaultingThread()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4096);
        Touch(m, tid, a, 4096);
        m.TryTranslate(pid, a, out uint f);
        var th = m.Thread(tid);
        ulong clock = th.ClockNs, psi = m.PsiStallNs;
        m.MigrateFolio(f, 1, out ulong cost);
        m.ChargeThread(tid, cost);
        Assert.Equal(clock + cost, th.ClockNs);
        Assert.Equal(psi + cost, m.PsiStallNs);
    }
}
