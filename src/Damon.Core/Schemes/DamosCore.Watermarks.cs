using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

public static partial class DamosCore
{
    /// <summary>
    /// damos_wmark_wait_us: 0 if the scheme is (or becomes) active, else how long to wait before
    /// checking again. Outside [low, high] deactivates; an inactive scheme is re-activated only
    /// once the metric drops below mid.
    /// </summary>
    public static ulong WmarkWaitUs(DamonContext ctx, Damos s)
    {
        var w = s.Wmarks;
        if (w.Metric == DamosWmarkMetric.None)
            return 0;
        ulong metric = ctx.Metrics?.FreeMemRatePermil()
            ?? throw new DamonException(Errno.EINVAL,
                $"scheme {ctx.Schemes.IndexOf(s)} watermarks.metric free_mem_rate: the operations backend provides no metrics");
        if (metric > w.High || w.Low > metric)
        {
            w.Activated = false;
            return w.IntervalUs;
        }
        if (w.High >= metric && metric >= w.Mid && !w.Activated)
            return w.IntervalUs;
        w.Activated = true;
        return 0;
    }

    /// <summary>
    /// The wait step of kdamond_wait_activation: the shortest wait over all schemes, 0 (proceed)
    /// when any scheme is active or there are no schemes.
    /// </summary>
    public static ulong MinWmarkWaitUs(DamonContext ctx)
    {
        ulong min = 0;
        bool init = false;
        foreach (var s in ctx.Schemes)
        {
            ulong wait = WmarkWaitUs(ctx, s);
            if (!init || wait < min)
            {
                init = true;
                min = wait;
            }
        }
        return min;
    }
}
