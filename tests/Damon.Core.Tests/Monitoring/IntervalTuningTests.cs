using Damon.Core.Monitoring;
using Xunit;

namespace Damon.Core.Tests.Monitoring;

/// <summary>
/// kdamond_tune_intervals on hand-made windows (§2.10): the score is the share of positive
/// samples against intervals_goal.access_bp, and the sampling interval is scaled by the feedback
/// loop's answer, decreases damped to at most halving.
/// </summary>
public class IntervalTuningTests
{
    /// <summary>
    /// One 1000-byte target, 20 samples per window, goal 400 bp: the goal is
    /// 1000 × 20 × 4% = 800 byte-samples. A 200/400/600-byte hot part with 2 positive samples
    /// gives 400/800/1200 byte-samples, i.e. scores 5000/10000/15000 bp.
    /// </summary>
    [Fact]
    public void tune_intervals_scales_sampling_as_the_spec_examples_say()
    {
        // (hot bytes, nr_accesses of the hot part → new sample_interval from 5000 us)
        (ulong HotSz, uint Nr, ulong ExpectSampleUs)[] rows =
        [
            (0, 0, 10_000),    // score 0: ×2
            (200, 2, 7_500),   // score 5000: ×1.5
            (400, 2, 5_000),   // score 10000: unchanged
            (600, 2, 3_750),   // score 15000: 0.5 from the loop, damped to ×0.75
            (1000, 20, 2_500), // score ≥ 20000: ×0.5
        ];
        foreach (var (hotSz, nr, expectSampleUs) in rows)
        {
            var ctx = new DamonContext();
            DamonCore.SetAttrs(ctx, new MonitoringAttrs
            {
                SampleIntervalUs = 5_000,
                AggrIntervalUs = 100_000,
                IntervalsGoal = new IntervalsGoal(AccessBp: 400, Aggrs: 3, MinSampleUs: 1_000, MaxSampleUs: 1_000_000),
            });
            var t = new Target();
            if (hotSz != 0)
                t.AddRegion(new Region(0, hotSz) { NrAccesses = nr });
            if (hotSz != 1000)
                t.AddRegion(new Region(hotSz, 1000));
            ctx.AddTarget(t);
            // At the aggregation boundary, where the kdamond tunes.
            ctx.PassedSampleIntervals = ctx.NextAggregationSis;

            DamonCore.TuneIntervals(ctx);

            Assert.Equal(expectSampleUs, ctx.Attrs.SampleIntervalUs);
            Assert.Equal(expectSampleUs * 20, ctx.Attrs.AggrIntervalUs);
            Assert.Equal(20ul, ctx.Attrs.AggrSamples);
            // The just-completed window is converted, not discarded: 20 samples before and after.
            if (hotSz != 0)
                Assert.Equal(nr, t.FirstRegion!.NrAccesses);
        }
    }
}
