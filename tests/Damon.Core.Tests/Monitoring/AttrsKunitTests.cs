using Damon.Core.Monitoring;
using Xunit;
using static Damon.Core.Tests.Monitoring.RegionTestHelpers;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// core-kunit.h: monitoring attributes and the arithmetic around them — samples per aggregation,
/// result conversion on an attrs change, damon_set_attrs validation, the moving sums, the feedback
/// loop and the per-context PRNG (§2.3, §2.9, §2.11).
/// </summary>
public class AttrsKunitTests
{
    /// <summary>The newest KUnit file (§7.3): a zero sample interval counts as one; the result is at least 1 and capped at UINT_MAX.</summary>
    [Fact]
    public void damon_test_nr_samples_per_aggr()
    {
        // (sample_interval, aggr_interval) → samples per aggregation
        (ulong Sample, ulong Aggr, uint Expect)[] rows =
        [
            (0, 5000, 5000),                    // zero sample interval is treated as one
            (0, 0, 1),                          // zero-result fallback
            (0, (ulong)uint.MaxValue + 1, uint.MaxValue),
            (1, (ulong)uint.MaxValue + 1, uint.MaxValue), // too large aggregation interval does not overflow
        ];
        foreach (var (sample, aggr, expect) in rows)
        {
            var attrs = new MonitoringAttrs { SampleIntervalUs = sample, AggrIntervalUs = aggr };
            Assert.Equal(expect, DamonCore.NrSamplesPerAggr(attrs));
        }
    }

    /// <summary>
    /// Old attrs {sample 10, aggr 1000} (100 samples) each time, the region mutated between calls:
    /// 15/100 samples stays 15/100 at the same ratio, becomes 150/1000, then 150/100 → 15000 bp → 150.
    /// Age is rescaled by old.aggr / new.aggr.
    /// </summary>
    [Fact]
    public void damon_test_update_monitoring_result()
    {
        var oldAttrs = new MonitoringAttrs { SampleIntervalUs = 10, AggrIntervalUs = 1000 };
        var r = new Region(3, 7) { NrAccesses = 15, Age = 20 };

        var newAttrs = new MonitoringAttrs { SampleIntervalUs = 100, AggrIntervalUs = 10000 };
        DamonCore.UpdateMonitoringResult(r, oldAttrs, newAttrs, aggregating: false);
        Assert.Equal(15u, r.NrAccesses);
        Assert.Equal(2u, r.Age);

        newAttrs = new MonitoringAttrs { SampleIntervalUs = 1, AggrIntervalUs = 1000 };
        DamonCore.UpdateMonitoringResult(r, oldAttrs, newAttrs, aggregating: false);
        Assert.Equal(150u, r.NrAccesses);
        Assert.Equal(2u, r.Age);

        newAttrs = new MonitoringAttrs { SampleIntervalUs = 1, AggrIntervalUs = 100 };
        DamonCore.UpdateMonitoringResult(r, oldAttrs, newAttrs, aggregating: false);
        Assert.Equal(150u, r.NrAccesses);
        Assert.Equal(20u, r.Age);
    }

    [Fact]
    public void damon_test_set_attrs()
    {
        var c = new DamonContext();
        var validAttrs = new MonitoringAttrs
        {
            MinNrRegions = 10,
            MaxNrRegions = 1000,
            SampleIntervalUs = 5000,
            AggrIntervalUs = 100000,
        };

        DamonCore.SetAttrs(c, validAttrs);
        Assert.Equal(validAttrs with { AggrSamples = 20 }, c.Attrs);

        AssertErrno(Errno.EINVAL, () => DamonCore.SetAttrs(c, validAttrs with { MinNrRegions = 1 }));
        AssertErrno(Errno.EINVAL, () => DamonCore.SetAttrs(c, validAttrs with { MaxNrRegions = 9 }));
        AssertErrno(Errno.EINVAL, () => DamonCore.SetAttrs(c, validAttrs with { AggrIntervalUs = 4999 }));
        // A rejected set leaves the context's attributes as they were.
        Assert.Equal(validAttrs with { AggrSamples = 20 }, c.Attrs);
    }

    [Fact]
    public void damon_test_mvsum()
    {
        (ulong Current, ulong Last, ulong LeftWindowBp, ulong Expect)[] inputExpects =
        [
            (0, 49, 10000, 49),  // 0 + 49 * 1
            (3, 10, 7000, 10),   // 3 + 10 * 0.7
            (3, 10, 5000, 8),    // 3 + 10 * 0.5
            (32, 100, 1000, 42), // 32 + 100 * 0.1
            (42, 49, 0, 42),     // 42 + 49 * 0
        ];
        foreach (var (current, last, leftBp, expect) in inputExpects)
            Assert.Equal(expect, DamonCore.Mvsum(current, last, leftBp));
    }

    /// <summary>
    /// Sample interval 1, aggregation interval 10: a window is 10 sample intervals long.
    /// </summary>
    [Fact]
    public void damon_test_nr_accesses_mvsum()
    {
        (ulong Passed, ulong NextAggr, uint Nr, uint Last, uint Expect)[] inputExpects =
        [
            (0, 10, 5, 3, 3),     // full window left, unreset
            (0, 10, 0, 7, 7),     // full window left, reset
            (5, 10, 3, 10, 8),    // half window left
            (8, 10, 3, 10, 5),    // 20% window left
            (10, 10, 42, 49, 42), // no window left
        ];
        var c = new DamonContext();
        var r = new Region(0, 4096);
        c.Attrs = c.Attrs with { SampleIntervalUs = 1, AggrIntervalUs = 10 };

        foreach (var (passed, nextAggr, nr, last, expect) in inputExpects)
        {
            c.PassedSampleIntervals = passed;
            c.NextAggregationSis = nextAggr;
            r.NrAccesses = nr;
            r.LastNrAccesses = last;
            Assert.Equal(expect, DamonCore.NrAccessesMvsum(r, c));
        }
    }

    /// <summary>
    /// The goal is a score of 10000. Below it the input grows, above it the input shrinks, and the
    /// farther from the goal the larger the step: 900000·(1 + 9800/10000) = 1782000,
    /// 900000·(1 + 8000/10000) = 1620000; a score of 2× the goal or more drops to the 10000 floor.
    /// </summary>
    [Fact]
    public void damon_test_feed_loop_next_input()
    {
        ulong lastInput = 900000, currentScore = 200;

        Assert.True(DamonCore.FeedLoopNextInput(lastInput, currentScore) > lastInput);
        Assert.Equal(1_782_000ul, DamonCore.FeedLoopNextInput(lastInput, currentScore));

        currentScore = 250000000;
        Assert.True(DamonCore.FeedLoopNextInput(lastInput, currentScore) < lastInput);
        Assert.Equal(10_000ul, DamonCore.FeedLoopNextInput(lastInput, currentScore));

        Assert.True(DamonCore.FeedLoopNextInput(lastInput, 200) > DamonCore.FeedLoopNextInput(lastInput, 2000));
        Assert.Equal(1_620_000ul, DamonCore.FeedLoopNextInput(lastInput, 2000));
    }

    /// <summary>damon_rand(ctx, 0, 10) stays in [0, 9]. The kernel seeds randomly; here the seed is fixed.</summary>
    [Fact]
    public void damon_test_rand()
    {
        var ctx = new DamonContext(seed: 0x5eed_da3a);
        var seen = new int[10];
        for (int i = 0; i < 10000; i++)
        {
            ulong rnd = ctx.Random.Next(0, 10);
            Assert.InRange(rnd, 0ul, 9ul);
            seen[rnd]++;
        }
        // 10000 uniform draws over 10 values: every value shows up, none dominates.
        Assert.All(seen, n => Assert.InRange(n, 800, 1200));
    }
}
