using Damon.Core.Monitoring;

namespace Damon.Core.Schemes;

public static partial class DamosCore
{
    /// <summary>
    /// damos_walk: install <paramref name="control"/> for the next apply round of every scheme.
    /// -EBUSY while another walk is pending, -ECANCELED once the kdamond is finishing.
    /// </summary>
    public static Task Walk(DamonContext ctx, DamosWalkControl control)
    {
        lock (ctx.WalkControlLock)
        {
            if (ctx.WalkControlObsolete)
                throw new DamonException(Errno.ECANCELED, "damos_walk: the kdamond is terminating");
            if (ctx.WalkControl is not null)
                throw new DamonException(Errno.EBUSY, "damos_walk: another walk is in progress");
            ctx.WalkControl = control;
        }
        return control.Task;
    }

    /// <summary>damos_walk_call_walk.</summary>
    internal static void WalkCallWalk(DamonContext ctx, Target t, Region r, Damos s, ulong szFilterPassed)
    {
        var control = ctx.WalkControl;
        if (control is null || s.WalkCompleted)
            return;
        control.WalkFn(ctx, t, r, s, szFilterPassed);
    }

    /// <summary>damos_walk_complete: the walk finishes once every scheme completed a round.</summary>
    internal static void WalkComplete(DamonContext ctx, Damos s)
    {
        var control = ctx.WalkControl;
        if (control is null)
            return;
        s.WalkCompleted = true;
        foreach (var sc in ctx.Schemes)
            if (!sc.WalkCompleted)
                return;
        foreach (var sc in ctx.Schemes)
            sc.WalkCompleted = false;
        lock (ctx.WalkControlLock)
            ctx.WalkControl = null;
        control.Completion.TrySetResult();
    }

    /// <summary>damos_walk_cancel: no scheme will run a round soon (paused, inactive, exiting).</summary>
    public static void WalkCancel(DamonContext ctx)
    {
        DamosWalkControl? control;
        lock (ctx.WalkControlLock)
        {
            control = ctx.WalkControl;
            ctx.WalkControl = null;
        }
        if (control is null)
            return;
        foreach (var sc in ctx.Schemes)
            sc.WalkCompleted = false;
        control.Completion.TrySetException(new DamonException(Errno.ECANCELED, "damos_walk: cancelled"));
    }
}
