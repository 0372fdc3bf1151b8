using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Tiering.Tests.ReportUseCases;

/// <summary>
/// should_numa_migrate_memory's normal-mode path, one page at a time: the machine has two sockets
/// (CPU 0 on node 0, CPUs 1 and 2 on node 1), the process one page written first from CPU 0, and
/// every scan is one whole pass (the page is the only present one), so numa_scan_seq counts ticks.
/// </summary>
public class NumaBalancingPlacementTests
{
    private sealed class Page
    {
        public readonly SimMachine M;
        public readonly int Pid;
        public readonly ulong Addr;
        public readonly SimThread Cpu0, Cpu1, Cpu2;
        public readonly NumaBalancingPlacement Nb;
        private ulong _tickNs;

        public Page()
        {
            var spec = PlacementScenario.Machine(1) with
            {
                Sockets = [new SocketSpec(0, 0, [0]), new SocketSpec(1, 1, [1, 2])],
            };
            M = new SimMachine(spec, seed: 1);
            Pid = M.CreateProcess("p");
            Cpu0 = M.Thread(M.CreateThread(Pid, 0));
            Cpu1 = M.Thread(M.CreateThread(Pid, 1));
            Cpu2 = M.Thread(M.CreateThread(Pid, 2));
            Addr = M.Mmap(Pid, PageSizes.PageSize);
            Touch(Cpu0);
            Nb = new NumaBalancingPlacement(M, Pid) { ScanDelayMs = 0, ScanPeriodMs = 1 };
        }

        public void Touch(SimThread th) => M.RunBatch(th, [new MemAccess(Addr, false)], 0);

        /// <summary>One task_numa_work pass: marks the page PROT_NONE and ends a scan sequence.</summary>
        public void Scan()
        {
            Nb.Tick(_tickNs);
            _tickNs += 1_000_000;
        }

        public int Node => M.NodeOfAddr(Pid, Addr);
    }

    [Fact]
    public void Early_in_the_task_s_life_a_first_fault_migrates_to_the_faulting_CPU_s_node()
    {
        var p = new Page();
        Assert.Equal(0, p.Node);
        p.Scan();
        Assert.Equal((1u, 1ul), (p.Nb.NumaScanSeq, p.Nb.NrMarked));
        p.Touch(p.Cpu1);
        Assert.Equal((1ul, 1ul, 1), (p.Nb.NrHintFaults, p.Nb.NrMigratedPages, p.Node));
    }

    [Fact]
    public void A_local_fault_only_stamps_the_page()
    {
        var p = new Page();
        p.Scan();
        p.Touch(p.Cpu0);
        Assert.Equal((1ul, 0ul, 0), (p.Nb.NrHintFaults, p.Nb.NrMigratedPages, p.Node));
    }

    /// <summary>
    /// After five passes (numa_scan_seq 5 &gt; 4) the early-life rule is off. The last fault was
    /// CPU 0's (node 0), so CPU 1's fault is refused by the two-stage filter (last node 0 ≠ 1) and
    /// stamps CPU 1; CPU 1's next fault is private (same tid) and migrates.
    /// </summary>
    [Fact]
    public void Late_the_two_stage_filter_needs_two_faults_from_the_destination_node()
    {
        var p = new Page();
        for (int i = 0; i < 5; i++)
        {
            p.Scan();
            p.Touch(p.Cpu0);
        }
        Assert.Equal(5u, p.Nb.NumaScanSeq);
        p.Scan();
        p.Touch(p.Cpu1);
        Assert.Equal((0ul, 0), (p.Nb.NrMigratedPages, p.Node));
        p.Scan();
        p.Touch(p.Cpu1);
        Assert.Equal((1ul, 1), (p.Nb.NrMigratedPages, p.Node));
    }

    /// <summary>
    /// A shared fault (another thread of the destination node faulted last) is decided by the
    /// group's counts, folded at each pass end as faults = faults/2 + buffer and
    /// faults_cpu = faults_cpu/2 + 65536 × cpu buffer / (the thread's faults + 1). CPU 0's five
    /// local faults (one per pass, folded at the next pass end) leave cpu[0] = 32768, 49152,
    /// 57344, 61440, 63488 and mem[0] = 1. CPU 2's refused fault (the previous one came from node
    /// 0) is folded at pass 7: mem[0] = 1/2 + 1 = 1, mem[1] = 0, cpu[0] = 63488/2 = 31744,
    /// cpu[1] = 65536 × 1 / 2 = 32768. CPU 1's fault then passes the two-stage filter (last: CPU 2,
    /// node 1), is shared (another tid); 32768 &gt; 3 × 31744 is false; the hysteresis
    /// 32768 × mem[0] × 3 = 98304 &gt; 31744 × mem[1] × 4 = 0 holds: migrate.
    /// </summary>
    [Fact]
    public void Late_a_shared_fault_from_the_busier_node_migrates_by_the_group_counts()
    {
        var p = new Page();
        for (int i = 0; i < 5; i++)
        {
            p.Scan();
            p.Touch(p.Cpu0);
        }
        p.Scan();
        p.Touch(p.Cpu2);                     // refused: last fault from node 0
        Assert.Equal(0, p.Node);
        p.Touch(p.Cpu1);                     // no mark: no fault
        Assert.Equal(6ul, p.Nb.NrHintFaults);
        p.Scan();
        p.Touch(p.Cpu1);                     // last = CPU 2 (node 1, other tid): shared
        Assert.Equal((7ul, 1ul, 1), (p.Nb.NrHintFaults, p.Nb.NrMigratedPages, p.Node));
    }
}
