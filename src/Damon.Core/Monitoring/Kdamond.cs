using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Core.Monitoring;

/// <summary>
/// The kdamond of one context. <see cref="Run"/> is kdamond_fn written as an iterator: each time
/// the kernel thread would sleep, it yields a <see cref="KdamondSleep"/>, and the driver lets that
/// much time pass — virtual time in a simulation, real time on a live system — before resuming it.
/// </summary>
public sealed class Kdamond
{
    private readonly List<DamonCallControl> _calls = [];
    private readonly Lock _callsLock = new();
    private volatile bool _stopRequested;
    private bool _callsObsolete;

    public Kdamond(DamonContext ctx, string name = "kdamond.0")
    {
        Ctx = ctx;
        Name = name;
    }

    public DamonContext Ctx { get; }
    public string Name { get; }
    public bool Running { get; private set; }
    public bool Finished { get; private set; }

    /// <summary>Raised once the loop has exited and released its targets.</summary>
    public event Action<Kdamond>? Exited;

    /// <summary>damon_stop: the loop exits at its next check.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>damon_call: run <paramref name="fn"/> on the kdamond between two samples.</summary>
    public DamonCallControl Call(Action<DamonContext> fn, bool repeat = false)
    {
        var control = new DamonCallControl(fn, repeat);
        lock (_callsLock)
        {
            if (_callsObsolete)
                control.Completion.TrySetException(new DamonException(Errno.ECANCELED, "damon_call: the kdamond is terminating"));
            else
                _calls.Add(control);
        }
        return control;
    }

    /// <summary>damos_walk through this kdamond.</summary>
    public Task Walk(DamosWalkFn fn) => DamosCore.Walk(Ctx, new DamosWalkControl(fn));

    /// <summary>kdamond_call: run queued calls, or cancel them all when exiting.</summary>
    private void KdamondCall(bool cancel)
    {
        DamonCallControl[] pending;
        lock (_callsLock)
        {
            if (_calls.Count == 0)
                return;
            pending = [.. _calls];
        }
        foreach (var control in pending)
        {
            bool done;
            if (cancel || control.CancelRequested)
            {
                done = true;
                if (cancel)
                    control.Completion.TrySetException(new DamonException(Errno.ECANCELED, "damon_call: the kdamond is terminating"));
                else
                    control.Completion.TrySetResult();
            }
            else
            {
                try
                {
                    control.Fn(Ctx);
                    done = !control.Repeat;
                    if (done) control.Completion.TrySetResult();
                }
                catch (Exception e)
                {
                    done = true;
                    control.Completion.TrySetException(e);
                }
            }
            if (done)
                lock (_callsLock) _calls.Remove(control);
        }
    }

    /// <summary>kdamond_need_stop: asked to, or every target is gone (when the ops can tell).</summary>
    private bool NeedStop()
    {
        if (_stopRequested)
            return true;
        var ops = Ctx.Ops;
        if (ops is null || !ops.Has(OpsCallbacks.TargetValid))
            return false;
        foreach (var t in Ctx.Targets)
            if (ops.TargetValid(t))
                return false;
        return true;
    }

    /// <summary>kdamond_init_ctx: schedules counted from zero sample intervals.</summary>
    private void InitCtx()
    {
        var ctx = Ctx;
        ulong si = Math.Max(ctx.Attrs.SampleIntervalUs, 1);
        ctx.PassedSampleIntervals = 0;
        ctx.NextAggregationSis = ctx.Attrs.AggrIntervalUs / si;
        ctx.NextOpsUpdateSis = ctx.Attrs.OpsUpdateIntervalUs / si;
        ctx.NextIntervalsTuneSis = ctx.NextAggregationSis * ctx.Attrs.IntervalsGoal.Aggrs;
        foreach (var s in ctx.Schemes)
        {
            DamosCore.SetNextApplySis(s, ctx);
            DamosCore.SetFiltersDefaultReject(s);
        }
    }

    /// <summary>kdamond_fn. Enumerate it once; each element is a sleep the driver must honour.</summary>
    public IEnumerable<KdamondSleep> Run()
    {
        if (Running || Finished)
            throw new DamonException(Errno.EBUSY, $"{Name}: already started");
        Running = true;
        var ctx = Ctx;
        try
        {
            InitCtx();
            var ops = ctx.Ops;
            if (ops is not null && ops.Has(OpsCallbacks.Init))
                ops.Init(ctx);
            ulong szLimit = DamonCore.ApplyMinNrRegions(ctx);

            while (!NeedStop())
            {
                ops = ctx.Ops;
                // Changes made by calls below take effect from the next iteration.
                ulong nextAggregationSis = ctx.NextAggregationSis;
                ulong nextOpsUpdateSis = ctx.NextOpsUpdateSis;
                ulong sampleIntervalUs = ctx.Attrs.SampleIntervalUs;
                bool accessCheckDisabled = ctx.ProbesWeighted();

                // kdamond_wait_activation
                bool stop = false;
                while (true)
                {
                    if (NeedStop()) { stop = true; break; }
                    ulong waitUs = DamosCore.MinWmarkWaitUs(ctx);
                    if (waitUs == 0)
                        break;
                    yield return new KdamondSleep(waitUs, KdamondSleepReason.WatermarkWait);
                    KdamondCall(false);
                    DamosCore.WalkCancel(ctx);
                }
                if (stop)
                    break;

                if (!accessCheckDisabled && ops is not null && ops.Has(OpsCallbacks.PrepareAccessChecks))
                    ops.PrepareAccessChecks(ctx);

                yield return new KdamondSleep(sampleIntervalUs, KdamondSleepReason.Sample);
                ctx.PassedSampleIntervals++;
                bool aggregationDue = ctx.PassedSampleIntervals >= nextAggregationSis;

                uint maxScore = 0;
                if (accessCheckDisabled)
                    ctx.AccessReports.Drain();
                else if (ctx.Attrs.SampleControl.UsesReports)
                    maxScore = Sampling.DamonReports.KdamondCheckReportedAccesses(ctx);
                else
                {
                    // Reports nobody folds must not pile up until the buffer overflows.
                    ctx.AccessReports.Drain();
                    if (ops is not null && ops.Has(OpsCallbacks.CheckAccesses))
                        maxScore = ops.CheckAccesses(ctx);
                }
                if (ops is not null && ops.Has(OpsCallbacks.ApplyProbes))
                {
                    bool getMax = aggregationDue && accessCheckDisabled;
                    uint wsum = ops.ApplyProbes(ctx, accessCheckDisabled, getMax);
                    if (getMax)
                        maxScore = wsum;
                }

                if (aggregationDue)
                {
                    DamonCore.KdamondMergeRegions(ctx, maxScore / 10, szLimit);
                    // Online updates may have changed min_nr_regions.
                    szLimit = DamonCore.ApplyMinNrRegions(ctx);
                }

                KdamondCall(false);
                if (ctx.MaybeCorrupted)
                    break;
                while (ctx.Pause)
                {
                    DamosCore.WalkCancel(ctx);
                    yield return new KdamondSleep(ctx.Attrs.SampleIntervalUs, KdamondSleepReason.Pause);
                    KdamondCall(false);
                    if (NeedStop() || ctx.MaybeCorrupted) { stop = true; break; }
                }
                if (stop)
                    break;

                if (ctx.Schemes.Count != 0)
                    DamosCore.ApplySchemes(ctx);
                else
                    DamosCore.WalkCancel(ctx);

                ulong si = Math.Max(sampleIntervalUs, 1);
                if (aggregationDue)
                {
                    var goal = ctx.Attrs.IntervalsGoal;
                    if (goal.Aggrs != 0 && ctx.PassedSampleIntervals >= ctx.NextIntervalsTuneSis)
                    {
                        // A call may have moved next_aggregation_sis; set_attrs must see the
                        // window as complete, or it would discard the results being tuned on.
                        ctx.NextAggregationSis = nextAggregationSis;
                        ctx.NextIntervalsTuneSis += ctx.Attrs.AggrSamples * goal.Aggrs;
                        DamonCore.TuneIntervals(ctx);
                        si = Math.Max(ctx.Attrs.SampleIntervalUs, 1);
                    }
                    ctx.NextAggregationSis = nextAggregationSis + ctx.Attrs.AggrIntervalUs / si;
                    DamonCore.ResetAggregated(ctx);
                    DamonCore.KdamondSplitRegions(ctx);
                }

                if (ctx.PassedSampleIntervals >= nextOpsUpdateSis)
                {
                    ctx.NextOpsUpdateSis = nextOpsUpdateSis + ctx.Attrs.OpsUpdateIntervalUs / si;
                    if (ops is not null && ops.Has(OpsCallbacks.Update))
                        ops.Update(ctx);
                }
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>The kdamond_fn exit path: release targets, cancel pending calls and walks.</summary>
    private void Exit()
    {
        var ctx = Ctx;
        foreach (var t in ctx.Targets.ToArray())
            ctx.DestroyTarget(t);
        lock (_callsLock)
            _callsObsolete = true;
        KdamondCall(true);
        lock (ctx.WalkControlLock)
            ctx.WalkControlObsolete = true;
        DamosCore.WalkCancel(ctx);
        Running = false;
        Finished = true;
        Exited?.Invoke(this);
    }
}
