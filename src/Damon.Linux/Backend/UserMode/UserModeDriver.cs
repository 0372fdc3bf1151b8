using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Linux.Backend.Snapshots;

namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// User mode's kdamond: the kernel monitors, Damon runs DAMOS. Each kernel aggregation, the
/// context's targets get exactly the kernel's regions (start, end, nr_accesses, age) and Damon's
/// own kdamond_apply_schemes runs on them, with the bookkeeping kdamond_fn would have at that
/// aggregation boundary: passed_sample_intervals advanced by aggr/sample per kernel aggregation
/// (so apply_interval_us and the quota score's window position mean what they mean in the
/// kernel), and the DAMOS clock (quota reset windows, charge timing) set to the snapshot's
/// monotonic time. Monitoring itself (sampling, merge, split) is the kernel's; this class never
/// touches the regions between two snapshots.
/// </summary>
public sealed class UserModeDriver
{
    private readonly ManualClock _clock = new();
    private ulong _startNs;
    private ulong _aggregationIdx;
    private bool _started;

    public UserModeDriver(DamonContext ctx)
    {
        Ctx = ctx;
        ctx.Clock = _clock;
    }

    public DamonContext Ctx { get; }

    /// <summary>Kernel aggregation intervals accounted so far (missed snapshots included).</summary>
    public ulong NrAggregations => _aggregationIdx;

    /// <summary>Snapshots applied so far.</summary>
    public ulong NrSnapshots { get; private set; }

    /// <summary>
    /// kdamond_init_ctx at the kernel's <c>on</c>: schedules count from zero sample intervals and
    /// the first window ends one aggregation interval after <paramref name="nowNs"/>.
    /// </summary>
    public void Start(ulong nowNs)
    {
        var ctx = Ctx;
        ulong si = Math.Max(ctx.Attrs.SampleIntervalUs, 1);
        ctx.PassedSampleIntervals = 0;
        ctx.NextAggregationSis = ctx.Attrs.AggrIntervalUs / si;
        ctx.NextOpsUpdateSis = ctx.Attrs.OpsUpdateIntervalUs / si;
        foreach (var s in ctx.Schemes)
        {
            DamosCore.SetNextApplySis(s, ctx);
            DamosCore.SetFiltersDefaultReject(s);
        }
        _clock.NowNs = nowNs;
        _startNs = nowNs;
        _aggregationIdx = 0;
        NrSnapshots = 0;
        _started = true;
    }

    /// <summary>
    /// One kernel aggregation: install its regions and run the due schemes. A snapshot that comes
    /// more than one aggregation interval after the previous one (the kernel's update command can
    /// take longer than an aggregation) accounts for every interval that passed, by the
    /// snapshot's time, so apply intervals and quota windows keep the kernel's pace.
    /// </summary>
    public void OnAggregation(KernelAggregation snapshot)
    {
        if (!_started)
            throw new InvalidOperationException("UserModeDriver.Start must run before the first aggregation");
        var ctx = Ctx;
        ulong si = Math.Max(ctx.Attrs.SampleIntervalUs, 1);
        ulong aggrUs = Math.Max(ctx.Attrs.AggrIntervalUs, 1);
        ulong aggrNs = aggrUs * 1000;
        ulong elapsedNs = snapshot.TimeNs > _startNs ? snapshot.TimeNs - _startNs : 0;
        ulong idx = Math.Max(_aggregationIdx + 1, (elapsedNs + aggrNs / 2) / aggrNs);
        ulong nrAggregations = idx - _aggregationIdx;
        _aggregationIdx = idx;

        // The aggregation boundary: the window is complete (damon_nr_accesses_mvsum reads
        // nr_accesses as it is) and every scheme whose apply interval passed is due.
        ctx.PassedSampleIntervals += nrAggregations * (ctx.Attrs.AggrIntervalUs / si);
        ctx.NextAggregationSis = ctx.PassedSampleIntervals;
        _clock.NowNs = Math.Max(_clock.NowNs, snapshot.TimeNs);

        for (int i = 0; i < ctx.Targets.Count; i++)
            InstallRegions(ctx.Targets[i], i < snapshot.Targets.Count ? snapshot.Targets[i] : []);
        NrSnapshots++;

        // kdamond_wait_activation's damos_wmark_wait_us, once per aggregation: a deactivated
        // scheme is skipped by the apply round below. The kernel also stops monitoring while
        // every scheme is deactivated; here the kernel keeps monitoring (docs/linux-backend.md).
        foreach (var s in ctx.Schemes)
            DamosCore.WmarkWaitUs(ctx, s);

        if (ctx.Schemes.Count != 0)
            DamosCore.ApplySchemes(ctx);
    }

    /// <summary>
    /// The kernel's regions replace the target's. last_nr_accesses is set to the same count: the
    /// window is complete, so nothing reads it but the apply round's merge-back test.
    /// </summary>
    private static void InstallRegions(Target t, IReadOnlyList<KernelRegion> regions)
    {
        t.ClearRegions();
        foreach (var kr in regions)
        {
            var r = t.NewRegion(kr.Start, kr.End);
            r.NrAccesses = kr.NrAccesses;
            r.LastNrAccesses = kr.NrAccesses;
            r.Age = kr.Age;
            r.SamplingAddr = kr.Start;
            t.AddRegion(r);
        }
    }
}
