using Damon.Sim.Bench;
using Damon.Tiering.Interference;
using Xunit;
using Xunit.Abstractions;

namespace Damon.Tiering.Tests;

public class FaultInterferenceStudyTests(ITestOutputHelper output)
{
    private const ulong MiB = 1UL << 20;

    /// <summary>A quarter-size study: 64 MiB with an 8 MiB hot set, 2 s, switching every 0.5 s.</summary>
    private static readonly FaultInterferenceOptions Small = new()
    {
        Workload = new FaultInterferenceOptions().Workload with { SizeBytes = 64 * MiB, HotBytes = 8 * MiB },
        DurationUs = 2_000_000,
        WarmupUs = 500_000,
        SwitchPeriodUs = 500_000,
    };

    /// <summary>What each policy guarantees whatever the workload: who can misattribute, who can lose faults.</summary>
    private static void AssertInvariants(FaultInterferenceResult r, FaultInterferenceOptions o)
    {
        Assert.Equal(o.Policies.Count, r.Rows.Count);
        Assert.Equal(0UL, r.Baseline.DamonCountedNumaFaults + r.Baseline.NumaHandledDamonFaults);
        for (int i = 0; i < r.Rows.Count; i++)
        {
            var row = r.Rows[i];
            var d = r.Details[i];
            Assert.Equal(o.Policies[i].Name(), row.Policy);
            Assert.Equal(d.DamonCountedNumaFaults + d.NumaHandledDamonFaults, row.MisattributedFaults);
            Assert.InRange(row.Recall, 0.0, 1.0);
            int expectedSwitches = o.Policies[i].IsIsolation() ? (int)((o.DurationUs - 1) / o.SwitchPeriodUs) : 0;
            Assert.Equal(expectedSwitches, d.NrSwitches);
            switch (o.Policies[i])
            {
                case FaultSharing.ExclusionNuma:
                    Assert.Equal(0UL, row.MisattributedFaults);
                    Assert.Equal(0UL, d.DamonFaultsLost + d.NumaFaultsLost);
                    break;
                case FaultSharing.ExclusionDamon:
                    Assert.Equal(0UL, row.MisattributedFaults);
                    Assert.Equal(0UL, row.PromotedBytes);
                    break;
                case FaultSharing.RuntimeIsolation:
                    Assert.Equal(0UL, row.MisattributedFaults);
                    Assert.True(d.MarksRemoved > 0);
                    Assert.True(d.SwitchCostNs > 0);
                    break;
                case FaultSharing.PartialIsolation:
                    Assert.True(row.MisattributedFaults > 0);
                    Assert.Equal(0UL, d.MarksRemoved);
                    break;
                case FaultSharing.Interfere:
                    Assert.True(d.DamonCountedNumaFaults > 0);
                    Assert.True(d.NumaHandledDamonFaults > 0);
                    Assert.Equal(0UL, d.DamonFaultsLost + d.NumaFaultsLost);
                    break;
                case FaultSharing.Tagged:
                    Assert.Equal(0UL, row.MisattributedFaults);
                    Assert.Equal(0UL, d.DamonFaultsLost + d.NumaFaultsLost);
                    break;
            }
        }
    }

    [Fact]
    public void Each_policy_keeps_its_invariants_on_a_small_study()
    {
        var r = FaultInterferenceStudy.RunDetailed(Small);
        output.WriteLine(InterferenceTable.Markdown(r));
        AssertInvariants(r, Small);
        // No promotion without NUMA balancing, so the workload stays on the slow node and runs slower.
        var exclDamon = r.Rows.Single(x => x.Policy == "exclusion-damon");
        Assert.True(exclDamon.NormRuntime > 1.0, $"exclusion-damon norm runtime {exclDamon.NormRuntime}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_row()
    {
        var o = Small with { Policies = [FaultSharing.Interfere] };
        var a = FaultInterferenceStudy.RunDetailed(o);
        var b = FaultInterferenceStudy.RunDetailed(o);
        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(a.Details[0] with { WallSeconds = 0 }, b.Details[0] with { WallSeconds = 0 });
    }

    [Fact]
    public void Options_that_cannot_run_are_refused_with_the_rule()
    {
        var e = Assert.Throws<ArgumentException>(() => FaultInterferenceStudy.Run(Small with { WarmupUs = Small.DurationUs }));
        Assert.Equal("fault interference: warm-up (2000000 us) must be shorter than the duration (2000000 us)", e.Message);
    }

    /// <summary>
    /// The table in docs/results/fault-interference.md: the default study, printed. Its
    /// invariants hold as on the small one.
    /// </summary>
    [Fact]
    public void Default_study()
    {
        var o = new FaultInterferenceOptions();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = FaultInterferenceStudy.RunDetailed(o);
        output.WriteLine(InterferenceTable.Markdown(r));
        output.WriteLine($"wall {sw.Elapsed.TotalSeconds:F1} s ({string.Join(", ", r.Details.Select(d => $"{d.Policy} {d.WallSeconds:F1} s"))}, baseline {r.Baseline.WallSeconds:F1} s)");
        AssertInvariants(r, o);
    }

    /// <summary>
    /// Part 7: the page-fault primitive against the page-table primitive on the study's workload and
    /// machine, DAMON alone, three runs of each in turn. The simulated figures repeat exactly.
    /// </summary>
    [Fact]
    public void Primitive_overhead()
    {
        var o = new FaultInterferenceOptions();
        var spec = FaultSharingPolicy.MachineFor(o.Machine, o);
        var runs = new List<PrimitiveOverheadResult>();
        for (int i = 0; i < 3; i++)
            foreach (bool pageFault in new[] { false, true })
                runs.Add(PrimitiveOverheadBench.Run(spec, () => new SlowStartWorkload(o.Workload), o.Attrs, pageFault, o.ClearStaleMarks, 4_000_000, o.Seed));
        foreach (var r in runs)
            output.WriteLine($"{r.Primitive}: {r.NsPerAccess:F3} ns/access over {r.NrAccesses} accesses, {r.NrDamonFaults} DAMON faults " +
                $"({r.FaultStallNs / 1e6:F3} ms stall), {r.NrRegions} regions, engine {r.EngineCpuMs:F1} ms, workload {r.WorldCpuMs:F1} ms ({r.CpuClock}) in {r.SimulatedS} s simulated");
        foreach (var group in runs.GroupBy(r => r.Primitive))
        {
            var first = group.First();
            foreach (var r in group)
                Assert.Equal((first.NrAccesses, first.NsPerAccess, first.NrDamonFaults, first.NrRegions), (r.NrAccesses, r.NsPerAccess, r.NrDamonFaults, r.NrRegions));
        }
        var table = runs.First(r => r.Primitive == "page_table");
        var fault = runs.First(r => r.Primitive == "page_fault");
        Assert.Equal(0UL, table.NrDamonFaults);
        Assert.True(fault.NrDamonFaults > 0);
        Assert.Equal(fault.NrDamonFaults * spec.Faults.MinorFaultNs, fault.FaultStallNs);   // FaultCostNs defaults to a minor fault
    }

    /// <summary>
    /// docs/access-reports.md's stale-marks table: one vaddr context with the default attributes on the
    /// default zipf key-value store (1 Mi keys of 1 KiB, theta 0.99) of a 256 MiB + 1 GiB two-tier
    /// machine, seed 42, 5 s simulated: the accessed-bit primitive, the page-fault primitive with the
    /// RFC's marks kept, and with unreached marks cleared each sample. Kept marks pile up on cold pages,
    /// so each later touch faults and counts an access for its region: more faults, fewer merges.
    /// </summary>
    [Fact]
    public void Stale_marks_on_a_skewed_workload()
    {
        var spec = Damon.Sim.Machine.MachineSpec.DefaultTwoTier(256 * MiB, 1024 * MiB);
        var zipf = new Damon.Sim.Workloads.Zipf.ZipfKvOptions();
        var attrs = Damon.Core.Monitoring.MonitoringAttrs.Default;
        var table = PrimitiveOverheadBench.Run(spec, () => new Damon.Sim.Workloads.Zipf.ZipfKvWorkload(zipf), attrs, pageFault: false, clearStaleMarks: true, 5_000_000, 42);
        var kept = PrimitiveOverheadBench.Run(spec, () => new Damon.Sim.Workloads.Zipf.ZipfKvWorkload(zipf), attrs, pageFault: true, clearStaleMarks: false, 5_000_000, 42);
        var cleared = PrimitiveOverheadBench.Run(spec, () => new Damon.Sim.Workloads.Zipf.ZipfKvWorkload(zipf), attrs, pageFault: true, clearStaleMarks: true, 5_000_000, 42);
        foreach (var (name, r) in new[] { ("page_table", table), ("page_fault (marks kept, the RFC)", kept), ("page_fault, ClearStaleMarks", cleared) })
            output.WriteLine($"| {name} | {r.NsPerAccess:F3} ns | {r.NrDamonFaults} | {r.NrRegions} | {r.EngineCpuMs:F1} ms ({r.CpuClock}) |");
        Assert.Equal(0UL, table.NrDamonFaults);
        Assert.True(kept.NrDamonFaults > 5 * cleared.NrDamonFaults, $"kept {kept.NrDamonFaults} vs cleared {cleared.NrDamonFaults} faults");
        Assert.True(kept.NrRegions > 2 * cleared.NrRegions, $"kept {kept.NrRegions} vs cleared {cleared.NrRegions} regions");
        Assert.True(kept.NsPerAccess > cleared.NsPerAccess);
    }
}
