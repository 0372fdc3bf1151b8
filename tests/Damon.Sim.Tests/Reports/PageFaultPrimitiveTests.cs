using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Sim.Workloads;
using Xunit;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Reports;

/// <summary>
/// The simulator's page_fault primitive: prepare protects each region's sampling folio; the next
/// access faults once, is reported with the accessing thread's CPU, tid, pid and write flag, and
/// stalls that thread by the fault cost. Four 16 KiB regions over a populated 64 KiB mapping.
/// </summary>
public class PageFaultPrimitiveTests
{
    private const ulong RegionSz = 16 * 1024;

    private static readonly DamonSampleControl PageFault = new() { PrimitivesEnabled = new(PageTable: false, PageFault: true) };

    private sealed record Rig(SimMachine M, int Pid, int Tid, int OtherTid, ulong Base, DamonContext Ctx, Target T, ManualClock Clock);

    private static Rig Make(bool physical)
    {
        var m = WithProcess(TwoTier(), out int pid, out int tid);
        int other = m.CreateThread(pid, 3);
        ulong a = m.Mmap(pid, 4 * RegionSz);
        Touch(m, tid, a, 4 * RegionSz);
        var clock = new ManualClock();
        var ctx = new DamonContext(seed: 3)
        {
            Ops = physical ? new SimPaddrOperations(m) : new SimVaddrOperations(m, fixedRanges: true),
            Clock = clock,
        };
        DamonCore.SetAttrs(ctx, MonitoringAttrs.Default with { SampleControl = PageFault });
        var t = new Target(physical ? 0 : pid);
        for (int i = 0; i < 4; i++)
        {
            ulong start = a + (ulong)i * RegionSz;
            if (physical)
            {
                // One region per populated page run is enough: the four regions cover the four
                // pages the sampling addresses fall on, found through the page table.
                Assert.True(m.TryTranslate(pid, start, out uint f));
                start = (ulong)f << 12;
                t.AddRegion(t.NewRegion(start, start + 4096));
            }
            else
            {
                t.AddRegion(t.NewRegion(start, start + RegionSz));
            }
        }
        ctx.AddTarget(t);
        return new Rig(m, pid, tid, other, a, ctx, t, clock);
    }

    private static ulong Paddr(SimMachine m, int pid, ulong vaddr)
    {
        Assert.True(m.TryTranslate(pid, vaddr, out uint f));
        return ((ulong)f << 12) | (vaddr & 4095);
    }

    [Fact]
    public void vaddr_the_next_access_of_a_sampling_page_faults_once_and_is_reported()
    {
        var rig = Make(physical: false);
        var (m, ctx) = (rig.M, rig.Ctx);
        ctx.Ops!.PrepareAccessChecks(ctx);
        Assert.Equal(4ul, m.DamonFaults.NrProtected);
        var regions = rig.T.Regions.ToArray();
        var th = m.Thread(rig.OtherTid);
        ulong stallBefore = th.StallNs;

        // Region 1's sampling page, written twice from the thread on CPU 3; region 0, a page
        // other than its sampling page, read.
        ulong hit = regions[1].SamplingAddr;
        ulong miss = (regions[0].SamplingAddr & ~4095UL) == rig.Base ? rig.Base + 4096 : rig.Base;
        m.RunBatch(th, [new MemAccess(hit, true), new MemAccess(hit + 1, true), new MemAccess(miss, false)], 0);

        Assert.Equal(1ul, m.DamonFaults.NrFaults);
        Assert.Equal(m.DamonFaults.FaultCostNs, th.StallNs - stallBefore);
        Assert.Equal(m.Spec.Faults.MinorFaultNs, m.DamonFaults.FaultCostNs);
        // Folded: region 1 counts the sample, the others do not.
        AssertReportedThenFolded(rig,
            new DamonAccessReport(Paddr(m, rig.Pid, hit), hit, Size: 1, Cpu: 3, Tid: rig.OtherTid, IsWrite: true, Pid: rig.Pid),
            [0u, 1u, 0u, 0u]);
    }

    /// <summary>The buffer holds exactly <paramref name="expected"/>; folding it gives <paramref name="nrAccesses"/>.</summary>
    private static void AssertReportedThenFolded(Rig rig, DamonAccessReport expected, uint[] nrAccesses)
    {
        var reports = rig.Ctx.AccessReports.Drain().ToArray();
        Assert.Equal([expected], reports);
        rig.Ctx.AccessReports.Report(reports[0]);
        DamonReports.KdamondCheckReportedAccesses(rig.Ctx);
        Assert.Equal(nrAccesses, rig.T.Regions.Select(r => r.NrAccesses));
    }

    [Fact]
    public void paddr_reports_the_physical_address_of_the_faulting_access()
    {
        var rig = Make(physical: true);
        var (m, ctx) = (rig.M, rig.Ctx);
        ctx.Ops!.PrepareAccessChecks(ctx);
        // Every region is one page: its sampling address is in that page. Read page 2 from tid 1 (CPU 0).
        ulong vaddr = rig.Base + 2 * RegionSz + 100;
        var th = m.Thread(rig.Tid);
        m.RunBatch(th, [new MemAccess(vaddr, false)], 0);
        AssertReportedThenFolded(rig,
            new DamonAccessReport(Paddr(m, rig.Pid, vaddr), vaddr, 1, Cpu: 0, Tid: rig.Tid, IsWrite: false, Pid: rig.Pid),
            [0u, 0u, 1u, 0u]);
    }

    [Fact]
    public void a_page_table_context_neither_protects_nor_hears_faults()
    {
        var rig = Make(physical: false);
        var (m, ctx) = (rig.M, rig.Ctx);
        var listening = new DamonContext(seed: 4) { Ops = ctx.Ops };
        DamonCore.SetAttrs(listening, MonitoringAttrs.Default);
        listening.AddTarget(new Target(rig.Pid));
        listening.Targets[0].AddRegion(listening.Targets[0].NewRegion(rig.Base, rig.Base + 4 * RegionSz));
        listening.Ops!.PrepareAccessChecks(listening);
        Assert.Equal(0ul, m.DamonFaults.NrProtected);

        ctx.Ops!.PrepareAccessChecks(ctx);
        var s = rig.T.FirstRegion!.SamplingAddr;
        m.RunBatch(m.Thread(rig.Tid), [new MemAccess(s, false)], 0);
        Assert.Equal(1, ctx.AccessReports.Count);
        Assert.Equal(0, listening.AccessReports.Count);
        Assert.Equal([ctx], m.DamonFaults.Contexts);
    }
}
