using Damon.Sim.Machine;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>kswapd's passes as balance_pgdat runs them: lru_size &gt;&gt; sc.priority pages at most per pass.</summary>
public class KswapdBudgetTests
{
    /// <summary>64 MiB touched on a 64 MiB fast node: it fills to its low watermark (kswapd wakes), the rest goes to the slow node.</summary>
    private static SimMachine FilledFastNode(MachineSpec spec)
    {
        var m = WithProcess(spec, out int pid, out int tid);
        ulong a = m.Mmap(pid, 64 * MiB);
        Touch(m, tid, a, 64 * MiB);
        return m;
    }

    [Fact]
    public void EachPassScansAtMostTheLruShiftedByThePriorityAndLowersThePriorityWhileItReclaimsNothing()
    {
        var m = FilledFastNode(TwoTier(64, 256, linuxDefault: true));
        ulong lru = m.Node(0).NrUsed;
        Assert.Equal(16384UL - 163, lru);              // 64 MiB less the low watermark (1 %)
        Assert.True(m.KswapdAwake(0));
        ulong clockNs = 0, scanned = 0;
        for (int priority = SimMachine.DefPriority; priority >= 6; priority--)
        {
            Assert.Equal(priority, m.KswapdPriority(0));
            // Every page was just touched: a pass only activates young pages, 50 ns each, and frees none.
            m.Tick(clockNs + 1);
            ulong budget = lru >> priority;
            scanned += budget;
            clockNs += budget * SimMachine.ScanNsPerPage;
            Assert.Equal(scanned, m.PgscanKswapd);
            Assert.Equal(0UL, m.NrReclaimedPages);
        }
        Assert.Equal(3UL + 7 + 15 + 31 + 63 + 126 + 253, scanned);
        Assert.Equal(5, m.KswapdPriority(0));
    }

    [Fact]
    public void PassesReachTheHighWatermarkOverCallsAndKswapdThenSleeps()
    {
        var m = FilledFastNode(TwoTier(64, 256, linuxDefault: true));
        ulong lru = m.Node(0).NrUsed;
        m.Tick(100_000_000);
        // Each pass frees at most what high needs, so the node ends exactly at high.
        Assert.Equal(m.WmarkHighPages(0), m.Node(0).NrFree);
        Assert.False(m.KswapdAwake(0));
        Assert.Equal(m.WmarkHighPages(0) - m.WmarkLowPages(0), m.NrDemotedPages);
        // A young page is activated on the first lap, deactivated on the second, evicted on the third:
        // two laps, then the first high - low pages of the third.
        Assert.Equal(2 * lru + m.NrDemotedPages, m.PgscanKswapd);
        Assert.Equal(0, m.KswapdFailures(0));
    }

    [Fact]
    public void WithNothingReclaimableKswapdGivesUpAfterMaxReclaimRetriesRunsAndIsNotWokenAgain()
    {
        var spec = TwoTier(64, 256, linuxDefault: true) with { DemotionEnabled = false, Swap = new SwapSpec(CapacityBytes: 0) };
        var m = WithProcess(spec, out int pid, out int tid);
        ulong a = m.Mmap(pid, 64 * MiB);
        Touch(m, tid, a, 64 * MiB);
        ulong lru = m.Node(0).NrUsed;
        m.Tick(10_000_000_000);
        Assert.False(m.KswapdAwake(0));
        Assert.Equal(SimMachine.MaxReclaimRetries, m.KswapdFailures(0));
        Assert.Equal(0UL, m.NrReclaimedPages);
        // Sixteen runs of priorities 12..1, each sum(lru >> p) pages.
        ulong perRun = 0;
        for (int p = SimMachine.DefPriority; p >= 1; p--) perRun += lru >> p;
        Assert.Equal(SimMachine.MaxReclaimRetries * perRun, m.PgscanKswapd);
        // An allocation below the low watermark does not wake it (wakeup_kswapd's kswapd_failures check).
        ulong more = m.Mmap(pid, MiB);
        Touch(m, tid, more, MiB);
        Assert.False(m.KswapdAwake(0));
    }
}
