using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Sim.Workloads;
using Xunit;
using Xunit.Abstractions;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests.Reports;

/// <summary>
/// Per-thread and write-only monitoring end to end in a simulation: one process, two threads.
/// Thread 0 (CPU 0) writes every page of area A in turn, thread 1 (CPU 3) reads every page of
/// area B; the two 8 MiB areas are mapped apart. Contexts using the page_fault primitive with a
/// sample filter must see only the area of the thread (or the writes) the filter keeps.
/// </summary>
public class ReportedMonitoringEndToEndTests(ITestOutputHelper output)
{
    private const ulong AreaSz = 8 * MiB;
    private const ulong SampleUs = 5_000;
    private const ulong AggrUs = 100_000;

    private sealed class TwoAreas() : SyntheticWorkload("two-areas", new ThreadPlacement(2, [0, 3]), durationNs: 0, computeNsPerAccess: 5)
    {
        private readonly ulong[] _next = new ulong[2];
        public ulong[] Base { get; } = new ulong[2];

        protected override void SetupMemory(IWorkloadHost host, int pid)
        {
            Base[0] = host.Mmap(pid, AreaSz);
            host.Mmap(pid, 64 * MiB, MapFlags.Anon);    // a gap between the areas, never touched
            Base[1] = host.Mmap(pid, AreaSz);
        }

        protected override int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = new MemAccess(Base[thread] + _next[thread], Write: thread == 0);
                _next[thread] = (_next[thread] + 4096) % AreaSz;
            }
            return batch.Length;
        }
    }

    private static MonitoringAttrs Attrs(DamonSampleControl sc) => new()
    {
        SampleIntervalUs = SampleUs,
        AggrIntervalUs = AggrUs,
        MinNrRegions = 10,
        MaxNrRegions = 1000,
        SampleControl = sc,
    };

    private static readonly DamonSamplePrimitives PageFault = new(PageTable: false, PageFault: true);

    /// <summary>
    /// Bytes of each area, and of the rest, covered by regions with nr_accesses ≥ 10 of 20 at the
    /// last aggregation.
    /// </summary>
    private sealed class HotBytes(TwoAreas w)
    {
        public ulong A, B, Other;

        public void Take(DamonContext c)
        {
            A = B = Other = 0;
            foreach (var r in c.Targets[0].Regions)
            {
                if (r.NrAccesses < 10) continue;
                ulong a = Overlap(r, w.Base[0]), b = Overlap(r, w.Base[1]);
                A += a;
                B += b;
                Other += r.Size - a - b;
            }
        }

        private static ulong Overlap(Region r, ulong start) =>
            Math.Min(r.End, start + AreaSz) > Math.Max(r.Start, start) ? Math.Min(r.End, start + AreaSz) - Math.Max(r.Start, start) : 0;

        /// <summary>
        /// Whether the hot set is the areas <paramref name="a"/> and <paramref name="b"/> say: an
        /// area is hot when 99 % of it is, cold when none of it is; the rest is at most 1 % of an
        /// area (regions adapt to the boundaries, so an edge region may straddle one by a few pages).
        /// </summary>
        public void AssertIs(bool a, bool b, string what)
        {
            const ulong Edge = AreaSz / 100;
            Assert.True(a ? A >= AreaSz - Edge : A == 0, $"{what}: {A} bytes of area A hot");
            Assert.True(b ? B >= AreaSz - Edge : B == 0, $"{what}: {B} bytes of area B hot");
            Assert.True(Other <= Edge, $"{what}: {Other} bytes outside the areas hot");
        }
    }

    [Fact]
    public void thread_and_write_filters_keep_only_that_thread_s_area()
    {
        var w = new TwoAreas();
        var sim = new Simulation(TwoTier(dramMiB: 256, cxlMiB: 256), w, seed: 13);
        var tids = sim.Machine.Threads.Where(t => t.Process.Pid == w.Pid).Select(t => t.Tid).ToArray();
        var filters = new (string Name, DamonSampleFilter[] Filters)[]
        {
            ("none", []),
            ("thread 1 only", [new(DamonSampleFilterType.Threads, Matching: true, Allow: true) { TidArr = [tids[1]] }]),
            ("writes only", [new(DamonSampleFilterType.Write, Matching: true, Allow: true)]),
            ("not cpu 0", [new(DamonSampleFilterType.Cpumask, Matching: true, Allow: false) { Cpumask = DamonCpumask.Of(0) }]),
        };
        var hot = new List<HotBytes>();
        foreach (var (_, f) in filters)
        {
            var ctx = sim.AddContext(OperationsId.Vaddr, Attrs(new DamonSampleControl { PrimitivesEnabled = PageFault, SampleFilters = f }));
            sim.AddVaddrTarget(ctx, w.Pid);
            var h = new HotBytes(w);
            ctx.Aggregated = h.Take;
            hot.Add(h);
        }
        sim.RunFor(3_000_000);
        sim.Stop();
        for (int i = 0; i < filters.Length; i++)
            output.WriteLine($"{filters[i].Name}: hot bytes of A {hot[i].A}, of B {hot[i].B}, elsewhere {hot[i].Other}");

        // Each area is all hot (every page is touched every ~200 us) where its reports are kept, and cold elsewhere.
        hot[0].AssertIs(a: true, b: true, filters[0].Name);
        hot[1].AssertIs(a: false, b: true, filters[1].Name);
        hot[2].AssertIs(a: true, b: false, filters[2].Name);
        hot[3].AssertIs(a: false, b: true, filters[3].Name);
        foreach (var ctx in sim.Contexts)
            Assert.Equal(0ul, ctx.AccessReports.Stats.NrDroppedFull);
    }

    [Fact]
    public void page_fault_and_page_table_find_the_same_hot_set_and_the_faults_cost_the_threads()
    {
        (HotBytes Hot, ulong PsPerAccess, ulong Faults, ulong StallNs) Run(DamonSamplePrimitives p)
        {
            var w = new TwoAreas();
            var sim = new Simulation(TwoTier(dramMiB: 256, cxlMiB: 256), w, seed: 13);
            var ctx = sim.AddContext(OperationsId.Vaddr, Attrs(new DamonSampleControl { PrimitivesEnabled = p }));
            sim.AddVaddrTarget(ctx, w.Pid);
            var h = new HotBytes(w);
            ctx.Aggregated = h.Take;
            sim.RunFor(3_000_000);
            sim.Stop();
            var threads = sim.Machine.Threads.Where(t => t.Process.Pid == w.Pid).ToArray();
            ulong accesses = (ulong)threads.Sum(t => (long)t.NrAccesses);
            // Simulated time per access, averaged over both threads, in picoseconds for resolution.
            ulong psPerAccess = (ulong)threads.Sum(t => (double)t.ClockNs * 1000) / accesses;
            return (h, psPerAccess, sim.Machine.DamonFaults.NrFaults, sim.Machine.DamonFaults.FaultStallNs);
        }
        var table = Run(DamonSamplePrimitives.Default);
        var fault = Run(PageFault);
        output.WriteLine($"page_table: {table.PsPerAccess} ps/access, faults {table.Faults}");
        output.WriteLine($"page_fault: {fault.PsPerAccess} ps/access, faults {fault.Faults}, stall {fault.StallNs / 1000} us");
        table.Hot.AssertIs(a: true, b: true, "page_table");
        fault.Hot.AssertIs(a: true, b: true, "page_fault");
        Assert.Equal(0ul, table.Faults);
        Assert.True(fault.Faults > 0);
        Assert.Equal(fault.Faults * 1_000, fault.StallNs);
        Assert.True(fault.PsPerAccess > table.PsPerAccess, "the faults must slow the workload down");
    }
}
