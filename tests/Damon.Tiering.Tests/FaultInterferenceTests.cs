using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Tiering.Interference;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.Policy;
using Xunit;

namespace Damon.Tiering.Tests;

public class FaultInterferenceTests
{
    // The hand-sized cases scan at their first tick: mainline's first scan comes numa_balancing_scan_delay_ms (1 s)
    // after the task starts (NumaBalancingParams.ScanDelayMs), which these cases have no reason to wait for.
    private static readonly NumaBalancingParams ScanAtOnce = new() { ScanDelayMs = 0 };

    private static readonly MonitoringAttrs PageFaultAttrs = MonitoringAttrs.Default with
    {
        SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true) },
    };

    /// <summary>
    /// Three pages of one process on the slow node, one protection shared by NUMA balancing and a
    /// page-fault DAMON context: C marked by DAMON first (so NUMA balancing's scan skips it), A and
    /// B by the scan, then B by DAMON as well. Each page is touched once.
    /// </summary>
    private sealed class ThreePages
    {
        public readonly Simulation Sim;
        public readonly NumaBalancingPolicy Numa = new(ScanAtOnce);
        public readonly DamonContext Ctx;
        public readonly FaultSharingRouter Router;
        public readonly ulong A, B, C;
        private readonly int _tid;

        public ThreePages(FaultSharing sharing, FaultSide active = FaultSide.Numa)
        {
            var w = new TinyMachine.MapOnly(3, 0);
            Sim = new Simulation(Numa.Configure(TinyMachine.Spec()), w, seed: 1);
            var m = Sim.Machine;
            Numa.Attach(Sim, TierNodes.Of(m));
            Ctx = Sim.AddContext(OperationsId.Vaddr, PageFaultAttrs);
            Sim.AddVaddrTarget(Ctx, 1);
            Router = new FaultSharingRouter(sharing, m, Numa, m.DamonFaults) { Active = active };
            m.ProtNoneRouter = Router;
            _tid = w.Tid;
            (A, B, C) = (w.Start, w.Start + PageSizes.PageSize, w.Start + 2 * PageSizes.PageSize);
            TinyMachine.Touch(m, _tid, w.Start, 3);
            Assert.True(m.DamonFaults.Protect(Ctx, Frame(C)));
            Numa.Tick(0);
            Assert.True(m.DamonFaults.Protect(Ctx, Frame(B)));
        }

        public uint Frame(ulong addr) => Sim.Machine.TryTranslate(1, addr, out uint f) ? f : throw new InvalidOperationException("not mapped");

        public void TouchAll()
        {
            foreach (ulong a in new[] { A, B, C })
                TinyMachine.Touch(Sim.Machine, _tid, a, 1);
        }

        public ulong DamonReports => Ctx.AccessReports.Stats.NrReported;
    }

    [Fact]
    public void A_shared_protection_is_marked_once_and_NUMA_balancing_skips_a_page_DAMON_protected()
    {
        var t = new ThreePages(FaultSharing.Interfere);
        var m = t.Sim.Machine;
        // The scan stamped and counted A and B only: C was PAGE_NONE already (prot_numa_skip).
        Assert.Equal(PageFlags.ProtNone, m.Frames.GetFlags(t.Frame(t.A)) & (PageFlags.ProtNone | PageFlags.DamonProt));
        Assert.Equal(PageFlags.ProtNone | PageFlags.DamonProt, m.Frames.GetFlags(t.Frame(t.B)) & (PageFlags.ProtNone | PageFlags.DamonProt));
        Assert.Equal(PageFlags.DamonProt, m.Frames.GetFlags(t.Frame(t.C)) & (PageFlags.ProtNone | PageFlags.DamonProt));
        t.TouchAll();
        t.TouchAll();
        // One fault per page, B's two marks included; the second round finds no protection.
        Assert.Equal(3UL, t.Router.NrFaults);
        Assert.Equal(3UL, m.NrHintFaults);
        foreach (ulong a in new[] { t.A, t.B, t.C })
            Assert.Equal(PageFlags.None, m.Frames.GetFlags(t.Frame(a)) & (PageFlags.ProtNone | PageFlags.DamonProt));
    }

    [Fact]
    public void Allowed_to_interfere_DAMON_counts_the_NUMA_fault_and_NUMA_balancing_handles_the_DAMON_fault()
    {
        var t = new ThreePages(FaultSharing.Interfere);
        t.TouchAll();
        Assert.Equal(1UL, t.Router.DamonCountedNumaFaults);      // A
        Assert.Equal(1UL, t.Router.NumaHandledDamonFaults);      // C
        Assert.Equal(2UL, t.Router.MisattributedFaults);
        Assert.Equal(3UL, t.DamonReports);
        Assert.Equal(3UL, t.Numa.NrPromoted);                    // the fast node is empty: every hint fault promotes
        Assert.Equal(0UL, t.Router.DamonFaultsLost);
        Assert.Equal(0UL, t.Router.NumaFaultsLost);
        // One fault entry for each, the promotion copy on top; DAMON's report adds nothing to B's.
        var m = t.Sim.Machine;
        ulong expected = 3 * (m.Spec.Faults.MinorFaultNs + m.Spec.Migration.FolioCostNs(PageSizes.PageSize, thp: false));
        Assert.Equal(expected, t.Router.FaultStallNs);
    }

    [Fact]
    public void With_bookkeeping_each_fault_goes_to_whoever_marked_it()
    {
        var t = new ThreePages(FaultSharing.Tagged);
        t.TouchAll();
        Assert.Equal(0UL, t.Router.MisattributedFaults);
        Assert.Equal(2UL, t.DamonReports);                        // B and C
        Assert.Equal(2UL, t.Numa.NrPromoted);                     // A and B
        Assert.Equal(1, t.Sim.Machine.NodeOfAddr(1, t.C));
    }

    [Fact]
    public void Partial_isolation_sends_every_leftover_mark_to_the_active_user()
    {
        var numaOn = new ThreePages(FaultSharing.PartialIsolation, FaultSide.Numa);
        numaOn.TouchAll();
        Assert.Equal(1UL, numaOn.Router.NumaHandledDamonFaults);  // C
        Assert.Equal(0UL, numaOn.Router.DamonCountedNumaFaults);
        Assert.Equal(2UL, numaOn.Router.DamonFaultsLost);         // B and C never reach DAMON
        Assert.Equal(0UL, numaOn.DamonReports);
        Assert.Equal(3UL, numaOn.Numa.NrPromoted);

        var damonOn = new ThreePages(FaultSharing.PartialIsolation, FaultSide.Damon);
        damonOn.TouchAll();
        Assert.Equal(1UL, damonOn.Router.DamonCountedNumaFaults); // A
        Assert.Equal(0UL, damonOn.Router.NumaHandledDamonFaults);
        Assert.Equal(2UL, damonOn.Router.NumaFaultsLost);         // A and B
        Assert.Equal(3UL, damonOn.DamonReports);
        Assert.Equal(0UL, damonOn.Numa.NrPromoted);
        // DAMON's own fault cost, three times, no migration.
        Assert.Equal(3 * damonOn.Sim.Machine.DamonFaults.FaultCostNs, damonOn.Router.FaultStallNs);
    }

    [Fact]
    public void Build_time_exclusion_gives_each_fault_to_the_one_user_there_is()
    {
        // The kernels the policy allows: NUMA balancing with DAMON on accessed bits, or DAMON's faults alone.
        foreach (var (sharing, numa, sampling) in new[] {
            (FaultSharing.ExclusionNuma, true, DamonSampling.PageTable),
            (FaultSharing.ExclusionDamon, false, DamonSampling.PageFault) })
        {
            var (policy, sim, w) = Tiny(sharing, numa, sampling, switchUs: 1_000_000);
            policy.Tick(0);
            if (sampling == DamonSampling.PageFault)
                Assert.True(sim.Machine.DamonFaults.Protect(policy.Context!, Frame(sim.Machine, w.Start)));
            TinyMachine.Touch(sim.Machine, w.Tid, w.Start, 3);
            Assert.Equal(0UL, policy.Router.MisattributedFaults);
            Assert.Equal(numa ? 3UL : 1UL, policy.Router.NrFaults);
            Assert.Equal(numa ? 3UL : 0UL, policy.Numa?.NrPromoted ?? 0);
        }
    }

    [Fact]
    public void Runtime_isolation_removes_every_mark_at_a_switch_and_partial_isolation_leaves_them()
    {
        foreach (var sharing in new[] { FaultSharing.RuntimeIsolation, FaultSharing.PartialIsolation })
        {
            var (policy, sim, w) = Tiny(sharing, true, DamonSampling.PageFault, switchUs: 10_000);
            var m = sim.Machine;
            policy.Tick(0);                                       // NUMA balancing active: scans the 3 pages
            Assert.False(m.DamonFaults.Protecting);
            policy.Tick(10_000);                                  // DAMON's turn
            Assert.True(m.DamonFaults.Protecting);
            Assert.Equal(FaultSide.Damon, policy.Router.Active);
            Assert.Equal(1, policy.NrSwitches);
            TinyMachine.Touch(m, w.Tid, w.Start, 3);
            if (sharing == FaultSharing.RuntimeIsolation)
            {
                Assert.Equal(3UL, policy.MarksRemoved);
                Assert.Equal(3 * SimMachine.ScanNsPerPage, policy.SwitchCostNs);   // the walk: 3 mapped pages
                Assert.Equal(0UL, policy.Router.NrFaults);
            }
            else
            {
                Assert.Equal(0UL, policy.MarksRemoved);
                Assert.Equal(3UL, policy.Router.DamonCountedNumaFaults);
            }
        }
    }

    private static uint Frame(SimMachine m, ulong addr) => m.TryTranslate(1, addr, out uint f) ? f : throw new InvalidOperationException("not mapped");

    /// <summary>A <see cref="FaultSharingPolicy"/> on three populated slow-node pages of pid 1.</summary>
    private static (FaultSharingPolicy Policy, Simulation Sim, TinyMachine.MapOnly W) Tiny(FaultSharing sharing, bool numa, DamonSampling sampling, ulong switchUs)
    {
        var o = new FaultInterferenceOptions { SwitchPeriodUs = switchUs, Numa = ScanAtOnce };
        var w = new TinyMachine.MapOnly(3, 0);
        var policy = new FaultSharingPolicy("tiny", sharing, numa, sampling, o, 1, (0, 0));
        var sim = new Simulation(policy.Configure(TinyMachine.Spec()), w, seed: 1);
        policy.Attach(sim, TierNodes.Of(sim.Machine));
        TinyMachine.Touch(sim.Machine, w.Tid, w.Start, 3);
        return (policy, sim, w);
    }
}
