using Damon.Core.Schemes;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class MetricsTests
{
    [Fact]
    public void NodeMemoryAndFreeMemRate()
    {
        var m = WithProcess(TwoTier(64, 192), out int pid, out int tid);
        Touch(m, tid, m.Mmap(pid, 32 * MiB), 32 * MiB);
        Assert.True(m.TryGetNodeMem(0, out ulong total, out ulong free));
        Assert.Equal((64 * MiB, 32 * MiB), (total, free));
        Assert.False(m.TryGetNodeMem(2, out _, out _));
        Assert.Equal(875UL, m.FreeMemRatePermil()); // 224 of 256 MiB free
    }

    [Fact]
    public void MemcgUsagePerNode()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid, memcgId: 5);
        Touch(m, tid, m.Mmap(pid, 3 * MiB), 3 * MiB);
        Touch(m, tid, m.Mmap(pid, MiB, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [1])), MiB);
        Assert.True(m.TryGetMemcgNodeUsage(5, 0, out ulong n0));
        Assert.True(m.TryGetMemcgNodeUsage(5, 1, out ulong n1));
        Assert.Equal((3 * MiB, MiB), (n0, n1));
        Assert.False(m.TryGetMemcgNodeUsage(6, 0, out _));
    }

    [Fact]
    public void LruSizesFollowActivation()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        m.GetLruSizes(out ulong active, out ulong inactive);
        Assert.Equal((0UL, MiB), (active, inactive));
        m.TryTranslate(pid, a, out uint f);
        m.SetFolioActive(f, true);
        m.GetLruSizes(out active, out inactive);
        Assert.Equal((4096UL, MiB - 4096), (active, inactive));
    }

    [Fact]
    public void PsiCountsSwapInStalls()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, MiB);
        Touch(m, tid, a, MiB);
        Assert.Equal(0UL, m.SomeMemPsiTotalUs());
        var ops = new SimVaddrOperations(m);
        var (ctx, t, r) = OpsTestContext.Make(ops, pid, a, a + MiB);
        ops.ApplyScheme(ctx, t, r, OpsTestContext.Scheme(DamosAction.Pageout), out _);
        Touch(m, tid, a, MiB);
        ulong perPageNs = m.Spec.Swap.ReadLatencyNs + m.Spec.Faults.MinorFaultNs;
        Assert.Equal(256 * perPageNs / 1000, m.SomeMemPsiTotalUs());
    }

    [Fact]
    public void QuotaGoalsReadTheMachine()
    {
        var m = WithProcess(TwoTier(64, 192), out int pid, out int tid);
        ulong a = m.Mmap(pid, 16 * MiB);
        Touch(m, tid, a, 16 * MiB);
        for (ulong off = 0; off < 4 * MiB; off += 4096)
        {
            m.TryTranslate(pid, a + off, out uint f);
            m.MigrateFolio(f, 1, out _);
        }
        var ops = new SimPaddrOperations(m);
        var (start, _) = m.NodePhysRange(0);
        var (ctx, t, r) = OpsTestContext.Make(ops, 0, start, m.NodePhysRange(1).End);
        ctx.Metrics = m;
        var s = OpsTestContext.Scheme(DamosAction.MigrateCold, 1);
        var used = new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemUsedBp, 5000) { Nid = 0 };
        var eligible = new DamosQuotaGoal(DamosQuotaGoalMetric.NodeEligibleMemBp, 5000) { Nid = 0 };
        s.Quota.Goals.Add(used);
        s.Quota.Goals.Add(eligible);
        s.Quota.Sz = 1;
        ctx.Schemes.Add(s);
        DamosCore.ApplySchemes(ctx); // the first quota window reads every goal's metric
        Assert.Equal(1875UL, used.CurrentValue); // 12 of node 0's 64 MiB
        // The region spans both nodes' whole ranges (256 MiB), 16 MiB of it in LRU folios, 12 MiB
        // of those on node 0. damos_calc_eligible_bytes sums only the folios damon_get_folio
        // finds (LRU ones): mult_frac(12 MiB, 10000, 16 MiB) = 7500, not 12 MiB of the 256 MiB.
        Assert.Equal(12 * MiB, ops.BytesOnNode(ctx, t, r, 0));
        Assert.Equal(16 * MiB, ops.LruBytes(ctx, t, r));
        Assert.Equal(7500UL, eligible.CurrentValue);
    }
}
