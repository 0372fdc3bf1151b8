using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// Watermarks (spec §3.7): evaluated at the start of every loop iteration; outside [low, high] a
/// scheme is deactivated and comes back only once the metric drops below mid; when no scheme is
/// active the kdamond sleeps interval_us at a time without sampling.
/// </summary>
public class WatermarkScenarioTests
{
    private static DamosWatermarks Wmarks(ulong intervalUs, ulong high, ulong mid, ulong low) =>
        new() { Metric = DamosWmarkMetric.FreeMemRate, IntervalUs = intervalUs, High = high, Mid = mid, Low = low };

    [Fact]
    public void Deactivated_above_high_reactivated_only_below_mid_and_no_sampling_meanwhile()
    {
        var bed = new SchemeBed([EvenRanges(0, 4, 10 * MiB)]);
        var s = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat,
            wmarks: Wmarks(intervalUs: 50_000, high: 500, mid: 400, low: 200)));
        // A repeating damon_call runs at every sampled iteration and after every watermark wait.
        var calls = new List<(ulong NowMs, ulong Passed)>();
        bed.Kdamond.Call(ctx => calls.Add((bed.Driver.NowUs / 1000, ctx.PassedSampleIntervals)), repeat: true);
        bed.Metrics.FreeMemRate = 300;
        bed.Start();

        // Active: the round at 100 ms (passed 20) tries the 4 regions.
        bed.RunUntilMs(100);
        Assert.Equal(4UL, s.Stat.NrTried);

        // 600 > high. The iteration that started at 100 ms already passed its check; the one
        // starting at 105 ms (passed 21) deactivates the scheme and waits 50 ms at a time.
        bed.Metrics.FreeMemRate = 600;
        bed.RunUntilMs(300);
        Assert.False(s.Wmarks.Activated);

        // 450 is inside [mid, high]: an inactive scheme stays inactive (hysteresis).
        bed.Metrics.FreeMemRate = 450;
        bed.RunUntilMs(500);
        Assert.False(s.Wmarks.Activated);
        Assert.Equal(21UL, bed.Ctx.PassedSampleIntervals);
        Assert.Equal(21UL, bed.TestOps.NrPrepareCalls);
        Assert.Equal(21UL, bed.TestOps.NrCheckCalls);
        Assert.Equal([(105UL, 21UL), (155, 21), (205, 21), (255, 21), (305, 21), (355, 21), (405, 21), (455, 21)],
            calls.Where(c => c.NowMs >= 105));

        // 350 < mid: the check after the wait ending at 505 ms reactivates; sampling resumes
        // (passed 22 at 510 ms) and the next aggregation (passed 40) comes at 510 + 18 * 5 = 600 ms.
        bed.Metrics.FreeMemRate = 350;
        bed.RunUntilMs(599);
        Assert.True(s.Wmarks.Activated);
        Assert.Equal([(505UL, 21UL), (510, 22), (515, 23)], calls.Where(c => c.NowMs >= 500).Take(3));
        Assert.Equal(4UL, s.Stat.NrTried);
        bed.RunUntilMs(1000);
        // Rounds at 600, 700, 800, 900 and 1000 ms.
        Assert.Equal(24UL, s.Stat.NrTried);
        Assert.Equal(120UL, bed.Ctx.PassedSampleIntervals);

        // 150 < low also deactivates (checked at 1005 ms, after the 1000 ms round); 250 is in
        // [low, mid): active again at the first check after 1200 ms, which is 1205 ms.
        bed.Metrics.FreeMemRate = 150;
        bed.RunUntilMs(1200);
        Assert.False(s.Wmarks.Activated);
        Assert.Equal(121UL, bed.Ctx.PassedSampleIntervals);
        bed.Metrics.FreeMemRate = 250;
        bed.RunUntilMs(1205);
        Assert.True(s.Wmarks.Activated);
    }

    [Fact]
    public void A_scheme_due_while_inactive_keeps_its_schedule_and_runs_right_after_reactivation()
    {
        // A: stat every aggregation, with watermarks. B: stat every 1 s, no watermarks, so the
        // kdamond keeps sampling while A is off. §3.2 step 1: when no due scheme is active the
        // round returns early and a due-but-inactive scheme keeps its next_apply_sis.
        var bed = new SchemeBed([EvenRanges(0, 4, 10 * MiB)]);
        var a = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat,
            wmarks: Wmarks(intervalUs: 50_000, high: 500, mid: 400, low: 200)));
        var b = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat, applyIntervalUs: 1_000_000));
        bed.Metrics.FreeMemRate = 300;
        bed.Start();

        // A's round at 100 ms (passed 20) schedules the next at passed 40. A is deactivated from
        // the check at 105 ms on; at passed 40, 60 (200, 300 ms) it is due but inactive and B is
        // not due, so nothing moves A's schedule.
        bed.RunUntilMs(100);
        bed.Metrics.FreeMemRate = 600;
        bed.RunUntilMs(352);
        Assert.Equal(4UL, a.Stat.NrTried);
        Assert.Equal(70UL, bed.Ctx.PassedSampleIntervals);

        // Back to 300 after the 350 ms wake: the round at 355 ms still sees A inactive; the check
        // that follows reactivates it, and at 360 ms (passed 72, mid-window) A is overdue and
        // runs. Its next round is then 20 samples later: 460 ms, not the 400 ms boundary.
        bed.Metrics.FreeMemRate = 300;
        bed.RunUntilMs(359);
        Assert.Equal(4UL, a.Stat.NrTried);
        bed.RunUntilMs(360);
        Assert.Equal(8UL, a.Stat.NrTried);
        bed.RunUntilMs(459);
        Assert.Equal(8UL, a.Stat.NrTried);
        bed.RunUntilMs(460);
        Assert.Equal(12UL, a.Stat.NrTried);
        Assert.Equal(0UL, b.Stat.NrTried);
    }

    [Fact]
    public void Kdamond_waits_only_while_every_scheme_is_inactive()
    {
        // The loop stepped by hand: each yielded sleep is honoured by advancing the virtual clock.
        var bed = new SchemeBed([EvenRanges(0, 4, 10 * MiB)]);
        var a = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat,
            wmarks: Wmarks(intervalUs: 20_000, high: 500, mid: 400, low: 200)));
        var b = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Pageout,
            wmarks: Wmarks(intervalUs: 30_000, high: 800, mid: 700, low: 100)));
        var clock = new ManualClock();
        bed.Ctx.Clock = clock;
        using var loop = bed.Kdamond.Run().GetEnumerator();
        KdamondSleep Next()
        {
            Assert.True(loop.MoveNext());
            clock.AdvanceUs(loop.Current.Us);
            return loop.Current;
        }

        // 300: both active.
        bed.Metrics.FreeMemRate = 300;
        Assert.Equal(new KdamondSleep(5_000, KdamondSleepReason.Sample), Next());

        // 900: above both highs. Both deactivate; the kdamond waits the shorter interval.
        bed.Metrics.FreeMemRate = 900;
        Assert.Equal(new KdamondSleep(20_000, KdamondSleepReason.WatermarkWait), Next());
        Assert.False(a.Wmarks.Activated);
        Assert.False(b.Wmarks.Activated);

        // A DAMOS walk requested now is cancelled after the wait: no round will run.
        var walk = bed.Kdamond.Walk((_, _, _, _, _) => { });
        // 750: A is above its high; B is between its mid and high and stays inactive.
        bed.Metrics.FreeMemRate = 750;
        Assert.Equal(new KdamondSleep(20_000, KdamondSleepReason.WatermarkWait), Next());
        Assert.Equal(Errno.ECANCELED, Assert.IsType<DamonException>(walk.Exception?.InnerException).Errno);

        // 650: below B's mid: B reactivates and monitoring resumes; A stays off (650 > 500).
        bed.Metrics.FreeMemRate = 650;
        Assert.Equal(new KdamondSleep(5_000, KdamondSleepReason.Sample), Next());
        Assert.True(b.Wmarks.Activated);
        Assert.False(a.Wmarks.Activated);
        Assert.Equal(2UL, bed.TestOps.NrPrepareCalls); // one before the waits, one now
        Assert.Equal(1UL, bed.Ctx.PassedSampleIntervals);

        // On to the first aggregation (passed 20): only the active scheme runs its round.
        while (bed.Ctx.PassedSampleIntervals < 20)
            Assert.Equal(KdamondSleepReason.Sample, Next().Reason);
        Assert.Equal(4UL, b.Stat.NrTried);
        Assert.Equal(0UL, a.Stat.NrTried);
        Assert.Equal(4, bed.TestOps.Applied.Count);
    }
}
