using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Modules.Stat;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.Stat;

/// <summary>mm/damon/stat.c's metrics on regions laid out by hand.</summary>
public class StatComputationTests
{
    /// <summary>
    /// aggr 100 ms. [0,4K) nr 0 age 9 → idle 10; [4K,12K) nr 5 age 2 → -3; [12K,16K) nr 0 age 0 → 1;
    /// [16K,32K) nr 2 age 0 → -1.
    /// </summary>
    private static DamonContext HandBuilt()
    {
        var ctx = new DamonContext();
        DamonCore.SetAttrs(ctx, new MonitoringAttrs { SampleIntervalUs = 5_000, AggrIntervalUs = 100_000 });
        var t = new Target();
        ctx.AddTarget(t);
        (ulong Start, ulong End, uint Nr, uint Age)[] layout =
        [
            (0, 4096, 0, 9),
            (4096, 12288, 5, 2),
            (12288, 16384, 0, 0),
            (16384, 32768, 2, 0),
        ];
        foreach (var (s, e, nr, age) in layout)
        {
            var r = t.NewRegion(s, e);
            r.NrAccesses = nr;
            r.Age = age;
            t.AddRegion(r);
        }
        return ctx;
    }

    [Fact]
    public void Estimated_bandwidth_is_accessed_bytes_per_second_of_the_aggregation_window()
    {
        // (8192 * 5 + 16384 * 2) = 73728 bytes per 100 ms window → 737280 bytes/s.
        Assert.Equal(737_280UL, StatComputation.EstimatedMemoryBandwidth(HandBuilt()));
    }

    [Fact]
    public void Idle_percentiles_follow_the_regions_sorted_by_signed_idle_time()
    {
        var p = new long[StatComputation.NrPercentiles];
        StatComputation.SetIdleTimePercentiles(HandBuilt(), p);
        // Sorted: -3 (8K), -1 (16K), 1 (4K), 10 (4K) of 32K. Cumulative shares: 25, 75, 87 (87.5
        // floored), 100. Idle × 100 ms in ms: -300, -100, 100, 1000.
        long[] expected = new long[101];
        for (int i = 0; i <= 100; i++)
            expected[i] = i <= 25 ? -300 : i <= 75 ? -100 : i <= 87 ? 100 : 1000;
        Assert.Equal(expected, p);
    }

    [Fact]
    public void The_first_stat_version_counts_accessed_regions_as_not_idle()
    {
        var p = new long[StatComputation.NrPercentiles];
        StatComputation.SetIdleTimePercentiles(HandBuilt(), p, StatIdleTimeRule.FirstVersion);
        long[] expected = new long[101];
        for (int i = 0; i <= 100; i++)
            expected[i] = i <= 75 ? 0 : i <= 87 ? 100 : 1000;
        Assert.Equal(expected, p);
    }

    [Fact]
    public void Without_memory_the_percentiles_keep_their_previous_values()
    {
        var ctx = new DamonContext();
        ctx.AddTarget(new Target());
        var p = Enumerable.Repeat(7L, 101).ToArray();
        StatComputation.SetIdleTimePercentiles(ctx, p);
        Assert.All(p, v => Assert.Equal(7L, v));
    }

    [Fact]
    public void The_context_monitors_the_biggest_system_ram_with_self_tuning_intervals()
    {
        var ctx = new StatModule(StatParams.Default, PcLayout).BuildContext(new TestOperations(OperationsId.Paddr));
        Assert.Equal((5_000UL, 100_000UL, 60_000_000UL, 10UL, 1000UL),
            (ctx.Attrs.SampleIntervalUs, ctx.Attrs.AggrIntervalUs, ctx.Attrs.OpsUpdateIntervalUs, ctx.Attrs.MinNrRegions, ctx.Attrs.MaxNrRegions));
        Assert.Equal(new IntervalsGoal(400, 3, 5_000, 10_000_000), ctx.Attrs.IntervalsGoal);
        Assert.Equal(new AddrRange(0x100000000, 0x240000000), Assert.Single(Assert.Single(ctx.Targets).Regions).Range);
        Assert.Empty(ctx.Schemes);
    }

    [Fact]
    public void A_running_stat_module_refreshes_only_after_five_seconds()
    {
        var bed = new ModuleBed();
        var module = new StatModule(StatParams.Default, Flat(64 * MiB), seed: 3);
        var k = module.Start(bed.Engine);
        bed.Driver.Add(k);
        bed.RunUntilMs(4_900);
        Assert.Equal(0UL, module.Results.AggrIntervalUs);
        Assert.All(module.Results.MemoryIdleMsPercentiles, v => Assert.Equal(0L, v));

        bed.RunUntilMs(20_000);
        // Nothing is accessed: every region is idle, so every percentile is positive.
        Assert.NotEqual(0UL, module.Results.AggrIntervalUs);
        Assert.All(module.Results.MemoryIdleMsPercentiles, v => Assert.True(v > 0));
        Assert.Equal(0UL, module.Results.EstimatedMemoryBandwidth);
        Assert.Throws<Damon.Core.DamonException>(() => module.Start(bed.Engine));
        bed.Driver.StopAll();
        Assert.False(module.IsRunning);
    }
}
