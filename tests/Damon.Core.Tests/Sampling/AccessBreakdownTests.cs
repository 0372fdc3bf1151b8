using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Sampling;

/// <summary>
/// The per-region breakdown of counted accesses (CPU, thread, write) that folding reports keeps:
/// hand-built report sequences give exact counts, and the counts follow nr_accesses through the
/// aggregation reset, splits, merges and interval changes. Regions (bytes): [0, 4096) [4096, 8192)
/// [8192, 16384), as in <see cref="ReportFoldingTests"/>.
/// </summary>
public class AccessBreakdownTests
{
    private const ulong SampleUs = 5_000;

    private static (DamonContext Ctx, ManualClock Clock) NewCtx(params DamonSampleFilter[] filters)
    {
        var clock = new ManualClock();
        var ctx = new DamonContext(seed: 7) { Ops = new TestOperations(OperationsId.Paddr), Clock = clock };
        DamonCore.SetAttrs(ctx, new MonitoringAttrs
        {
            SampleIntervalUs = SampleUs,
            AggrIntervalUs = 100_000,
            SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true), SampleFilters = filters },
        });
        ctx.AddTarget(NewTarget((0, 4096), (4096, 8192), (8192, 16384)));
        return (ctx, clock);
    }

    private static DamonAccessReport At(ulong addr, int cpu, int tid, bool write = false) =>
        new(Paddr: addr, Vaddr: 0, Size: 1, Cpu: cpu, Tid: tid, IsWrite: write);

    private static void Sample(DamonContext ctx, ManualClock clock, params DamonAccessReport[] reports)
    {
        foreach (var r in reports)
            DamonReports.ReportAccess(ctx, r);
        clock.AdvanceUs(SampleUs);
        DamonReports.KdamondCheckReportedAccesses(ctx);
    }

    private static AccessBreakdownCounts Counts(Region r) => r.AccessesBy?.ToCounts() ?? AccessBreakdownCounts.Empty;

    private static AccessBreakdownCounts Expect((int, uint)[] cpus, (int, uint)[] tids, uint writes, uint reads) =>
        new([.. cpus.Select(c => new AccessKeyCount(c.Item1, c.Item2))], [.. tids.Select(t => new AccessKeyCount(t.Item1, t.Item2))], writes, reads);

    [Fact]
    public void each_counted_access_is_attributed_to_the_first_report_of_its_sample()
    {
        var (ctx, clock) = NewCtx();
        var r = ctx.Targets[0].Regions.ToArray();

        // Sample 1: region 0 by CPU 1 / tid 101 (a write), then by CPU 2 / tid 102, which adds
        // nothing to nr_accesses and so nothing to the breakdown; region 2 read by CPU 3 / tid 103.
        Sample(ctx, clock, At(10, 1, 101, write: true), At(20, 2, 102), At(9000, 3, 103));
        // Sample 2: region 0 by CPU 2 / tid 102 first this time; region 1 written by CPU 1 / tid 101.
        Sample(ctx, clock, At(30, 2, 102), At(40, 1, 101, write: true), At(5000, 1, 101, write: true));
        // Sample 3: region 0 by CPU 1 / tid 104 (a new thread on CPU 1).
        Sample(ctx, clock, At(50, 1, 104));
        // Sample 4: nothing.
        Sample(ctx, clock);

        Assert.Equal([3u, 1u, 1u], r.Select(x => x.NrAccesses));
        Assert.Equal(Expect([(1, 2), (2, 1)], [(101, 1), (102, 1), (104, 1)], writes: 1, reads: 2), Counts(r[0]));
        Assert.Equal(Expect([(1, 1)], [(101, 1)], writes: 1, reads: 0), Counts(r[1]));
        Assert.Equal(Expect([(3, 1)], [(103, 1)], writes: 0, reads: 1), Counts(r[2]));
        Assert.All(r, x => Assert.Equal(x.NrAccesses, x.AccessesBy!.NrAttributed));
    }

    [Fact]
    public void a_report_the_sample_filters_drop_is_not_the_attributed_one()
    {
        // Writes only: the read of CPU 5 comes first but is dropped; the write of CPU 6 counts.
        var (ctx, clock) = NewCtx(new DamonSampleFilter(DamonSampleFilterType.Write, Matching: true, Allow: true));
        var r0 = ctx.Targets[0].FirstRegion!;
        Sample(ctx, clock, At(10, 5, 105), At(11, 6, 106, write: true));
        Assert.Equal(1u, r0.NrAccesses);
        Assert.Equal(Expect([(6, 1)], [(106, 1)], writes: 1, reads: 0), Counts(r0));
    }

    [Fact]
    public void the_aggregation_sees_the_window_s_counts_and_the_reset_clears_them()
    {
        var (ctx, clock) = NewCtx();
        var r0 = ctx.Targets[0].FirstRegion!;
        AccessBreakdownCounts? seen = null;
        ctx.Aggregated = c => seen = c.Targets[0].FirstRegion!.AccessesBy!.ToCounts();
        Sample(ctx, clock, At(10, 1, 101));
        Sample(ctx, clock, At(10, 2, 102, write: true));
        DamonCore.ResetAggregated(ctx);
        Assert.Equal(Expect([(1, 1), (2, 1)], [(101, 1), (102, 1)], writes: 1, reads: 1), seen);
        Assert.Equal(0u, r0.NrAccesses);
        Assert.Equal(AccessBreakdownCounts.Empty, Counts(r0));
        Sample(ctx, clock, At(10, 3, 103));
        Assert.Equal(Expect([(3, 1)], [(103, 1)], writes: 0, reads: 1), Counts(r0));
    }

    [Fact]
    public void both_halves_of_a_split_keep_the_counts_as_they_keep_nr_accesses()
    {
        var (ctx, clock) = NewCtx();
        var t = ctx.Targets[0];
        var r2 = t.LastRegion!;
        Sample(ctx, clock, At(9000, 3, 103, write: true));
        Sample(ctx, clock, At(9000, 4, 104));
        var n = DamonCore.SplitRegionAt(t, r2, 4096);
        var both = Expect([(3, 1), (4, 1)], [(103, 1), (104, 1)], writes: 1, reads: 1);
        Assert.Equal(both, Counts(r2));
        Assert.Equal(both, Counts(n));
        Assert.Equal(2u, n.NrAccesses);
        // The copy is the new piece's own: counting into one half leaves the other alone.
        Sample(ctx, clock, At(13000, 4, 104));
        Assert.Equal(both, Counts(r2));
        Assert.Equal(Expect([(3, 1), (4, 2)], [(103, 1), (104, 2)], writes: 1, reads: 2), Counts(n));
    }

    [Fact]
    public void a_merge_weights_each_key_by_size_and_apportions_the_merged_count()
    {
        // Regions 0 and 1 (4 KiB each): region 0 counted 3 (CPU 1 twice, CPU 2 once; one write),
        // region 1 once (CPU 3). nr_accesses becomes (3 + 1) / 2 = 2; CPU 1 gets 1, and CPU 2 and
        // CPU 3 tie at 0.5 for the one unit left: the lower key, CPU 2, takes it. Reads 1.5 and
        // writes 0.5 tie the same way: reads (key 0) take it.
        var (ctx, clock) = NewCtx();
        var t = ctx.Targets[0];
        var (r0, r1) = (t.FirstRegion!, t.FirstRegion!.NextRegion!);
        Sample(ctx, clock, At(10, 1, 101, write: true), At(4100, 3, 103));
        Sample(ctx, clock, At(10, 1, 101));
        Sample(ctx, clock, At(10, 2, 102));
        DamonCore.MergeTwoRegions(t, r0, r1);
        Assert.Equal(2u, r0.NrAccesses);
        Assert.Equal(Expect([(1, 1), (2, 1)], [(101, 1), (102, 1)], writes: 0, reads: 2), Counts(r0));
    }

    [Fact]
    public void a_merge_with_unequal_sizes_follows_nr_accesses_rounding()
    {
        // Region 1 (4 KiB) counted once by CPU 1, region 2 (8 KiB) twice by CPU 2: nr_accesses
        // (1·4096 + 2·8192) / 12288 = 1.67 → 1; CPU 1 0.33 → 0, CPU 2 1.33 → 1, no unit left.
        var (ctx, clock) = NewCtx();
        var t = ctx.Targets[0];
        var (r1, r2) = (t.FirstRegion!.NextRegion!, t.LastRegion!);
        Sample(ctx, clock, At(5000, 1, 101), At(9000, 2, 102));
        Sample(ctx, clock, At(9000, 2, 102, write: true));
        DamonCore.MergeTwoRegions(t, r1, r2);
        Assert.Equal(1u, r1.NrAccesses);
        Assert.Equal(Expect([(2, 1)], [(102, 1)], writes: 0, reads: 1), Counts(r1));
    }

    [Fact]
    public void a_region_without_a_breakdown_merges_as_zero_counts()
    {
        // Region 0 never reported (no breakdown object), region 1 counted twice by CPU 7:
        // nr_accesses (0 + 2) / 2 = 1, all of it CPU 7's.
        var (ctx, clock) = NewCtx();
        var t = ctx.Targets[0];
        var (r0, r1) = (t.FirstRegion!, t.FirstRegion!.NextRegion!);
        Sample(ctx, clock, At(5000, 7, 107));
        Sample(ctx, clock, At(5000, 7, 107));
        Assert.Null(r0.AccessesBy);
        DamonCore.MergeTwoRegions(t, r0, r1);
        Assert.Equal(1u, r0.NrAccesses);
        Assert.Equal(Expect([(7, 1)], [(107, 1)], writes: 0, reads: 1), Counts(r0));
    }

    [Fact]
    public void new_intervals_rescale_a_closed_window_and_clear_an_open_one()
    {
        var by = new RegionAccessBreakdown();
        foreach (var (cpu, write) in new[] { (1, true), (1, false), (1, false), (2, false) })
            by.Count(At(0, cpu, 100 + cpu, write));
        // 4 → 2: CPU 1 1.5 → 1 and CPU 2 0.5 → 0, equal remainders, so the unit left goes to the
        // lower key, CPU 1. Reads 1.5 and writes 0.5 the same way: reads (key 0) take it.
        by.Rescale(2);
        Assert.Equal(Expect([(1, 2)], [(101, 2)], writes: 0, reads: 2), by.ToCounts());
        by.Rescale(6);
        Assert.Equal(Expect([(1, 6)], [(101, 6)], writes: 0, reads: 6), by.ToCounts());

        var r = new Region(0, 4096) { NrAccesses = 4, AccessesBy = by };
        var oldAttrs = MonitoringAttrs.Default;
        DamonCore.UpdateMonitoringResult(r, oldAttrs, oldAttrs with { AggrIntervalUs = oldAttrs.AggrIntervalUs * 2 }, aggregating: true);
        Assert.Equal(0u, r.NrAccesses);
        Assert.Equal(0u, by.NrAttributed);
    }

    [Fact]
    public void regions_no_report_reached_get_no_breakdown_and_page_table_contexts_none_at_all()
    {
        var (ctx, clock) = NewCtx();
        Sample(ctx, clock, At(10, 1, 101));
        var r = ctx.Targets[0].Regions.ToArray();
        Assert.NotNull(r[0].AccessesBy);
        Assert.Null(r[1].AccessesBy);
        Assert.Null(r[2].AccessesBy);

        // An accessed-bit context running whole aggregations (splits, merges, resets) never makes one.
        var ops = new TestOperations(OperationsId.Paddr) { IsAccessed = (_, a) => a < (1 << 20) };
        var pt = new DamonContext(seed: 3) { Ops = ops, Clock = new ManualClock() };
        DamonCore.SetAttrs(pt, MonitoringAttrs.Default);
        pt.AddTarget(NewTarget((0, 1 << 20), (1 << 20, 4 << 20)));
        for (int aggr = 0; aggr < 5; aggr++)
        {
            for (int s = 0; s < 20; s++)
            {
                ops.PrepareAccessChecks(pt);
                ops.CheckAccesses(pt);
            }
            Assert.True(pt.Targets[0].FirstRegion!.NrAccesses > 0);
            DamonCore.KdamondMergeRegions(pt, 2, 1 << 22);
            DamonCore.ResetAggregated(pt);
            DamonCore.KdamondSplitRegions(pt);
        }
        Assert.All(pt.Targets[0].Regions, x => Assert.Null(x.AccessesBy));
    }

    [Fact]
    public void over_random_windows_of_merges_and_splits_the_breakdown_sums_to_nr_accesses()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            var rng = new Random(seed);
            var (ctx, clock) = NewCtx();
            var t = ctx.Targets[0];
            t.ClearRegions();
            for (ulong a = 0; a < 64; a++)
                t.AddRegion(t.NewRegion(a * 4096, (a + 1) * 4096));
            for (int aggr = 0; aggr < 6; aggr++)
            {
                for (int s = 0; s < 20; s++)
                {
                    var reports = new DamonAccessReport[rng.Next(0, 40)];
                    for (int i = 0; i < reports.Length; i++)
                        reports[i] = At((ulong)rng.Next(0, 64 * 4096), rng.Next(0, 4), 100 + rng.Next(0, 6), rng.Next(2) == 0);
                    Sample(ctx, clock, reports);
                }
                DamonCore.KdamondMergeRegions(ctx, (uint)rng.Next(0, 8), 64 * 4096);
                foreach (var r in t.Regions)
                {
                    uint nr = r.AccessesBy?.NrAttributed ?? 0;
                    Assert.Equal(r.NrAccesses, nr);
                    Assert.Equal(nr, r.AccessesBy?.Cpus.Total ?? 0);
                    Assert.Equal(nr, r.AccessesBy?.Tids.Total ?? 0);
                    Assert.Equal(nr, (r.AccessesBy?.NrWrites ?? 0) + (r.AccessesBy?.NrReads ?? 0));
                }
                DamonCore.ResetAggregated(ctx);
                DamonCore.KdamondSplitRegions(ctx);
            }
        }
    }
}
