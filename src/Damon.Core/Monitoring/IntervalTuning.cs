using Damon.Core.Util;

namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>
    /// damon_feed_loop_next_input: the next input of a proportional feedback loop whose goal is a
    /// score of 10000 — raised while under the goal, lowered while over it, floored at 10000.
    /// </summary>
    public static ulong FeedLoopNextInput(ulong lastInput, ulong score)
    {
        const ulong goal = 10000;
        const ulong minInput = 10000;
        if (score == goal)
            return lastInput;
        if (score >= goal * 2)
            return minInput;
        ulong diff = score > goal ? score - goal : goal - score;
        ulong compensation = lastInput < ulong.MaxValue / diff
            ? lastInput * diff / goal
            : lastInput / goal * diff;
        if (score > goal)
            return Math.Max(lastInput - compensation, minInput); // compensation < lastInput here
        return lastInput < ulong.MaxValue - compensation ? lastInput + compensation : ulong.MaxValue;
    }

    /// <summary>
    /// damon_get_intervals_adaptation_bp: how much to scale the sampling interval so the share of
    /// positive samples nears intervals_goal.access_bp. Decreases are damped to at most halving.
    /// </summary>
    internal static ulong IntervalsAdaptationBp(DamonContext ctx)
    {
        var attrs = ctx.Attrs;
        ulong maxEvents = 0, events = 0;
        foreach (var t in ctx.Targets)
        {
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
            {
                maxEvents += r.Size * attrs.AggrSamples;
                events += r.Size * r.NrAccesses;
            }
        }
        ulong target = maxEvents * attrs.IntervalsGoal.AccessBp / 10000;
        if (target == 0)
            target = 1;
        ulong scoreBp = KernelMath.MultFrac(events, 10000, target);
        ulong adaptBp = FeedLoopNextInput(100_000_000, scoreBp) / 10000;
        if (adaptBp <= 10000)
            adaptBp = 5000 + adaptBp / 2;
        return adaptBp;
    }

    /// <summary>
    /// kdamond_tune_intervals: scale sample and aggregation intervals together (keeping
    /// aggr_samples), clamped to the goal's sampling bounds.
    /// </summary>
    public static void TuneIntervals(DamonContext ctx)
    {
        ulong adaptBp = IntervalsAdaptationBp(ctx);
        if (adaptBp == 10000)
            return;
        var attrs = ctx.Attrs;
        var goal = attrs.IntervalsGoal;
        ulong sample = Math.Min(attrs.SampleIntervalUs * adaptBp / 10000, goal.MaxSampleUs);
        sample = Math.Max(sample, goal.MinSampleUs);
        SetAttrs(ctx, attrs with { SampleIntervalUs = sample, AggrIntervalUs = sample * attrs.AggrSamples });
    }
}
