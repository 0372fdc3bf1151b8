using Xunit;
using Damon.Sim.Machine;
using Damon.Sim.Workloads;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

public class AllocationTests
{
    [Fact]
    public void FirstTouchAllocatesOnTheLocalNode()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 8 * MiB);
        Assert.Equal(-1, m.NodeOfAddr(pid, a));
        Touch(m, tid, a, 8 * MiB);
        Assert.Equal(2048UL, PagesOnNode(m, pid, a, 8 * MiB, 0));
        Assert.Equal(8 * MiB, m.NodeUsedBytes(0));
        Assert.Equal(0UL, m.NodeUsedBytes(1));
    }

    [Fact]
    public void FullLocalNodeFallsBackByDistance()
    {
        var m = WithProcess(TwoTier(16, 64), out int pid, out int tid);
        ulong a = m.Mmap(pid, 24 * MiB);
        Touch(m, tid, a, 24 * MiB);
        Assert.Equal(16 * MiB, m.NodeUsedBytes(0));
        Assert.Equal(8 * MiB, m.NodeUsedBytes(1));
        Assert.Equal(0, m.NodeOfAddr(pid, a));
        Assert.Equal(1, m.NodeOfAddr(pid, a + 24 * MiB - 4096));
    }

    [Fact]
    public void WithLinuxDefaultsAllocationStopsAtTheLowWatermark()
    {
        var m = WithProcess(TwoTier(16, 64, linuxDefault: true), out int pid, out int tid);
        ulong a = m.Mmap(pid, 24 * MiB);
        Touch(m, tid, a, 24 * MiB);
        ulong low = m.WmarkLowPages(0);
        Assert.True(m.Node(0).NrFree >= low && m.Node(0).NrFree <= low + 1, $"free {m.Node(0).NrFree} low {low}");
    }

    [Fact]
    public void BindAllocatesOnlyOnTheBoundNodes()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * MiB, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [1]));
        Touch(m, tid, a, 4 * MiB);
        Assert.Equal(1024UL, PagesOnNode(m, pid, a, 4 * MiB, 1));
    }

    [Fact]
    public void BindToAFullNodeReclaimsInsteadOfFallingBack()
    {
        var m = WithProcess(TwoTier(8, 64) with { DemotionEnabled = false }, out int pid, out int tid);
        ulong a = m.Mmap(pid, 12 * MiB, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [0]));
        Touch(m, tid, a, 12 * MiB);
        Assert.Equal(0UL, m.NodeUsedBytes(1));
        Assert.True(m.Swap.NrSwapOuts >= 1024, $"swap-outs {m.Swap.NrSwapOuts}");
        // The faulting thread reclaimed directly: its stall and the PSI total include the swap writes.
        Assert.True(m.DirectReclaimNs >= m.Swap.NrSwapOuts * m.Spec.Swap.WriteLatencyNs);
        Assert.True(m.PsiStallNs >= m.DirectReclaimNs);
        Assert.True(m.Thread(tid).StallNs >= m.DirectReclaimNs);
    }

    [Fact]
    public void PreferredNodeFirstThenFallback()
    {
        var m = WithProcess(TwoTier(64, 16), out int pid, out int tid);
        ulong a = m.Mmap(pid, 20 * MiB, MapFlags.Anon, new MemPolicy(MemPolicyMode.Preferred, [1]));
        Touch(m, tid, a, 20 * MiB);
        Assert.Equal(16 * MiB, m.NodeUsedBytes(1));
        Assert.Equal(4 * MiB, m.NodeUsedBytes(0));
    }

    [Fact]
    public void WeightedInterleaveSpreadsByWeight()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * MiB, MapFlags.Anon, new MemPolicy(MemPolicyMode.WeightedInterleave, [0, 1], [3, 1]));
        Touch(m, tid, a, 4 * MiB);
        Assert.Equal(768UL, PagesOnNode(m, pid, a, 4 * MiB, 0));
        Assert.Equal(256UL, PagesOnNode(m, pid, a, 4 * MiB, 1));
        // ilx = pgoff + offset: page i goes to node 0 iff (pgoff + i) % 4 < 3.
        ulong pgoff = a >> 12;
        for (ulong i = 0; i < 8; i++)
            Assert.Equal((pgoff + i) % 4 < 3 ? 0 : 1, m.NodeOfAddr(pid, a + i * 4096));
    }

    [Fact]
    public void ThpVmaFaultsWholeHugePages()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong a = m.Mmap(pid, 8 * MiB, MapFlags.Thp);
        Assert.Equal(0UL, a % (2 * MiB));
        Touch(m, tid, a + 4096, 4096);
        Assert.True(m.TryTranslate(pid, a + 4096, out uint f));
        Assert.Equal(512u, m.Frames.FolioNrPages(f));
        Assert.Equal(2 * MiB, m.NodeUsedBytes(0));
        Assert.Equal(1UL, m.Thread(tid).NrFaults);
        Assert.True(m.TryTranslate(pid, a + 2 * MiB - 4096, out _));
    }

    [Fact]
    public void MunmapFreesAnonButKeepsPageCacheUnmapped()
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        ulong anon = m.Mmap(pid, 1 * MiB);
        ulong file = m.Mmap(pid, 1 * MiB, MapFlags.File);
        Touch(m, tid, anon, MiB);
        Touch(m, tid, file, MiB);
        Assert.True(m.TryTranslate(pid, file, out uint fileFrame));
        Assert.Equal(2 * MiB, m.NodeUsedBytes(0));
        m.Munmap(pid, anon, MiB);
        m.Munmap(pid, file, MiB);
        Assert.Equal(1 * MiB, m.NodeUsedBytes(0));
        Assert.Equal(0, m.Frames.OwnerPid(fileFrame));
        Assert.Null(m.Process(pid).FindVma(anon));
        Assert.Throws<SimulationException>(() => Touch(m, tid, anon, 4096));
    }

    [Fact]
    public void KswapdDemotesColdPagesToTheLowerTier()
    {
        var m = WithProcess(TwoTier(16, 64, linuxDefault: true), out int pid, out int tid);
        ulong a = m.Mmap(pid, 16 * MiB);
        Touch(m, tid, a, 16 * MiB);
        ulong low = m.WmarkLowPages(0);
        Assert.Equal(low * 4096, m.NodeUsedBytes(1)); // what did not fit above the low watermark
        m.Tick(10_000_000);
        Assert.True(m.Node(0).NrFree >= m.WmarkHighPages(0));
        Assert.True(m.NrDemotedPages > 0);
        Assert.Equal(m.NrDemotedPages, m.MigratedPages(0, 1));
        Assert.Equal((low + m.NrDemotedPages) * 4096, m.NodeUsedBytes(1));
        Assert.True(m.KswapdNs > 0);
    }

    [Fact]
    public void SecondChanceKeepsReferencedPages()
    {
        var m = WithProcess(TwoTier(16, 64, linuxDefault: true), out int pid, out int tid);
        ulong cold = m.Mmap(pid, 8 * MiB);
        ulong hot = m.Mmap(pid, 4 * MiB);
        Touch(m, tid, cold, 8 * MiB);
        Touch(m, tid, hot, 4 * MiB);
        for (ulong step = 1; step <= 40; step++)
        {
            ulong fresh = m.Mmap(pid, 256 << 10);
            Touch(m, tid, fresh, 256 << 10);
            Touch(m, tid, hot, 4 * MiB);
            m.Tick(step * 100_000);
        }
        Assert.Equal(1024UL, PagesOnNode(m, pid, hot, 4 * MiB, 0));
        Assert.True(PagesOnNode(m, pid, cold, 8 * MiB, 1) > 0);
    }

    [Fact]
    public void EachSocketTouchesItsOwnNodeFirst()
    {
        var spec = new MachineSpec
        {
            Nodes = [new NodeSpec(0, 64 * MiB, 90, 90, 50, 0), new NodeSpec(1, 64 * MiB, 90, 90, 50, 0)],
            Sockets = [new SocketSpec(0, 0, [0, 1]), new SocketSpec(1, 1, [2, 3])],
            Distances = [[10, 21], [21, 10]],
            LinuxDefault = false,
            // The remote latency below is the flat model's: no page walk, no LLC.
            Caches = false,
        };
        var m = new SimMachine(spec);
        int pid = m.CreateProcess("p");
        int t0 = m.CreateThread(pid, 1), t1 = m.CreateThread(pid, 3);
        ulong a = m.Mmap(pid, 2 * MiB);
        Touch(m, t0, a, MiB);
        Touch(m, t1, a + MiB, MiB);
        Assert.Equal(256UL, PagesOnNode(m, pid, a, MiB, 0));
        Assert.Equal(256UL, PagesOnNode(m, pid, a + MiB, MiB, 1));
        // Each thread then pays the remote latency on the other's half.
        ulong before = m.Thread(t0).MemoryNs;
        m.RunBatch(m.Thread(t0), [new(a + MiB, false)], 0);
        Assert.Equal(189UL, m.Thread(t0).MemoryNs - before);
    }
}
