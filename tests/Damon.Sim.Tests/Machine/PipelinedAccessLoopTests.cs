using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>
/// The access loop reads PTEs ahead of the access that uses them when the page table is large
/// (SimMachine.RunBatch, "software pipelining"). An access must still see the PTE a walk at its
/// own turn would: entries read before a fault, a THP fault's 512 new PTEs or direct reclaim's
/// swap-outs earlier in the same batch are stale. Here the same accesses run in batches of 4,096
/// and one at a time (each read right before it is used) under memory pressure, and every page's
/// state, the threads' counters and the swap traffic must come out the same.
/// </summary>
public class PipelinedAccessLoopTests
{
    private const int NrLeavesTouched = 40;   // above the loop's 32-leaf threshold for reading ahead
    private const ulong LeafBytes = (ulong)PageTable.LeafSize * 4096;

    private sealed record Outcome(ulong[] Pages, ulong NrFaults, ulong ClockNs, ulong StallNs, ulong MemoryNs,
        ulong[] NodeAccesses, ulong NrSwapIns, ulong NrPipelinedLeaves);

    private static Outcome Run(int batchSize)
    {
        // 32 MiB of memory for 48 MiB of base pages and 8 MiB of THP: faults reclaim and swap all along.
        var m = WithProcess(TwoTier(16, 16), out int pid, out int tid);
        ulong baseAddr = m.Mmap(pid, NrLeavesTouched * LeafBytes);
        ulong thpAddr = m.Mmap(pid, 8 * MiB, MapFlags.Thp);
        const int nrBasePages = 12 * 1024, nrThpPages = 2 * 1024;
        ulong PageAddr(int p) => p < nrBasePages
            ? baseAddr + (ulong)(p % NrLeavesTouched) * LeafBytes + (ulong)(p / NrLeavesTouched) * 4096
            : thpAddr + (ulong)(p - nrBasePages) * 4096;

        var accesses = new MemAccess[40_000];
        ulong rng = 0x2545_F491_4F6C_DD1DUL;
        for (int i = 0; i < accesses.Length; i++)
        {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
            // Half the accesses go to a few hundred pages, so pages read ahead are often touched again soon.
            int p = (rng & 1) == 0 ? (int)((rng >> 8) % 300) : (int)((rng >> 8) % (nrBasePages + nrThpPages));
            accesses[i] = new MemAccess(PageAddr(p) + ((rng >> 40) & 4032), (rng & 2) != 0);
        }
        var th = m.Thread(tid);
        for (int i = 0; i < accesses.Length; i += batchSize)
        {
            int n = Math.Min(batchSize, accesses.Length - i);
            // Compute time per access, so both runs charge the same total.
            m.RunBatch(th, accesses.AsSpan(i, n), 10 * (ulong)n);
        }

        var pages = new ulong[nrBasePages + nrThpPages];
        for (int p = 0; p < pages.Length; p++)
            pages[p] = m.TryTranslate(pid, PageAddr(p), out uint frame)
                ? ((ulong)frame << 16) | (ushort)m.Frames.GetFlags(frame)
                : m.IsSwapped(pid, PageAddr(p)) ? 1UL : 0UL;
        return new Outcome(pages, th.NrFaults, th.ClockNs, th.StallNs, th.MemoryNs, [.. th.NodeAccesses],
            m.Swap.NrSwapIns, (ulong)m.Process(pid).PageTable.NrLeaves);
    }

    [Fact]
    public void ReadAheadGivesTheSameStateAsWalkingAtEachAccess()
    {
        var batched = Run(4096);
        var single = Run(1);
        Assert.True(batched.NrPipelinedLeaves > 32, $"{batched.NrPipelinedLeaves} leaves: the loop would not read ahead");
        // The pressure is real: pages were swapped out and faulted back in.
        Assert.True(batched.NrSwapIns > 1000, $"{batched.NrSwapIns} swap-ins");
        Assert.Equal(single.Pages, batched.Pages);
        Assert.Equal((single.NrFaults, single.ClockNs, single.StallNs, single.MemoryNs, single.NrSwapIns),
            (batched.NrFaults, batched.ClockNs, batched.StallNs, batched.MemoryNs, batched.NrSwapIns));
        Assert.Equal(single.NodeAccesses, batched.NodeAccesses);
    }
}
