using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>Each ops filter predicate, through paddr's stat action (bytes that pass the filters).</summary>
public class OpsFilterTests
{
    private static ulong Passed(Machine.SimMachine m, DamosFilter f)
    {
        var ops = new SimPaddrOperations(m);
        var (start, _) = m.NodePhysRange(0);
        var (ctx, t, r) = OpsTestContext.Make(ops, 0, start, m.NodePhysRange(1).End);
        ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Stat, Damos.NumaNoNode, f), out ulong passed);
        return passed;
    }

    [Fact]
    public void Anon()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        Touch(m, tid, m.Mmap(pid, MiB), MiB);
        Touch(m, tid, m.Mmap(pid, 3 * MiB, MapFlags.File), 3 * MiB);
        Assert.Equal(MiB, Passed(m, new DamosFilter(DamosFilterType.Anon, true, true)));
        Assert.Equal(3 * MiB, Passed(m, new DamosFilter(DamosFilterType.Anon, false, true)));
        Assert.Equal(3 * MiB, Passed(m, new DamosFilter(DamosFilterType.Anon, true, false)));
    }

    [Fact]
    public void Active()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        for (ulong off = 0; off < MiB / 4; off += 4096)
        {
            m.TryTranslate(pid, a + off, out uint f);
            m.SetFolioActive(f, true);
        }
        Assert.Equal(MiB / 4, Passed(m, new DamosFilter(DamosFilterType.Active, true, true)));
    }

    [Fact]
    public void Memcg()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid, memcgId: 0);
        int pid2 = m.CreateProcess("other", memcgId: 42);
        int tid2 = m.CreateThread(pid2, 1);
        Touch(m, tid, m.Mmap(pid, MiB), MiB);
        Touch(m, tid2, m.Mmap(pid2, 2 * MiB), 2 * MiB);
        Assert.Equal(2 * MiB, Passed(m, new DamosFilter(DamosFilterType.Memcg, true, true) { MemcgId = 42 }));
        Assert.Equal(MiB, Passed(m, new DamosFilter(DamosFilterType.Memcg, true, true) { MemcgId = 0 }));
        Assert.Equal(0UL, Passed(m, new DamosFilter(DamosFilterType.Memcg, true, true) { MemcgId = 7 }));
    }

    [Fact]
    public void YoungIsConsumedByTheTest()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        for (ulong off = 0; off < MiB / 2; off += 4096)
        {
            m.TryTranslate(pid, a + off, out uint f);
            m.DamonMkold(f);
        }
        var young = new DamosFilter(DamosFilterType.Young, true, true);
        Assert.Equal(MiB / 2, Passed(m, young));
        Assert.Equal(0UL, Passed(m, young)); // the first test made them old
    }

    [Fact]
    public void HugepageSize()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        Touch(m, tid, m.Mmap(pid, 4 * MiB, MapFlags.Thp), 4 * MiB);
        Touch(m, tid, m.Mmap(pid, MiB), MiB);
        var thp = new DamosFilter(DamosFilterType.HugepageSize, true, true) { SzRange = new SizeRange(2 * MiB, 2 * MiB) };
        Assert.Equal(4 * MiB, Passed(m, thp));
        var small = new DamosFilter(DamosFilterType.HugepageSize, true, true) { SzRange = new SizeRange(4096, 4096) };
        Assert.Equal(MiB, Passed(m, small));
    }

    [Fact]
    public void Unmapped()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong file = m.Mmap(pid, 2 * MiB, MapFlags.File);
        Touch(m, tid, file, 2 * MiB);
        Touch(m, tid, m.Mmap(pid, MiB), MiB);
        m.Munmap(pid, file, MiB);
        Assert.Equal(MiB, Passed(m, new DamosFilter(DamosFilterType.Unmapped, true, true)));
    }

    [Fact]
    public void CoreAllowSkipsOpsFilters()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        var s = OpsTestContext.Scheme(DamosAction.MigrateHot, 1,
            new DamosFilter(DamosFilterType.Addr, true, true) { AddrRange = new AddrRange(a, a + MiB) },
            new DamosFilter(DamosFilterType.Anon, true, false));
        Assert.False(DamosCore.CoreFilterOut(ctx, t, r, s));
        Assert.True(s.CoreFiltersAllowed);
        Assert.Equal(MiB, ops.ApplyScheme(ctx, t, r, s, out _));
    }
}
