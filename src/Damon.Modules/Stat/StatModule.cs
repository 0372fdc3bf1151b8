using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Modules.Common;

namespace Damon.Modules.Stat;

/// <summary>
/// DAMON_STAT (mm/damon/stat.c): monitor the biggest System RAM with self-tuning intervals and
/// publish an estimated memory bandwidth and idle-time percentiles, refreshed at most every 5 s.
/// </summary>
public sealed class StatModule(StatParams parameters, IMemoryLayout layout, ulong seed = 0) : Shared.ISharedModule
{
    /// <summary>Results are refreshed at most this often (5 * MSEC_PER_SEC).</summary>
    public const ulong RefreshIntervalNs = 5_000_000_000;

    private ulong? _lastRefreshNs;

    public StatParams Params { get; set; } = parameters;
    public IMemoryLayout Layout { get; } = layout;
    public StatIdleTimeRule IdleTimeRule { get; init; } = StatIdleTimeRule.Signed;
    public DamonContext? Ctx { get; private set; }
    public Kdamond? Kdamond { get; private set; }
    public bool IsRunning => Kdamond is { Finished: false };
    public StatResults Results { get; private set; } = StatResults.Empty;
    /// <summary>The range the last built context monitors (the biggest System RAM).</summary>
    public AddrRange? MonitoredRange { get; private set; }

    /// <summary>damon_stat's fixed attributes (the same as the mtier sample's).</summary>
    public static MonitoringAttrs Attrs => ModuleMonitoringAttrs.TunedToward4Percent;

    /// <summary>damon_stat_build_ctx.</summary>
    public DamonContext BuildContext(DamonOperations paddrOps)
    {
        if (paddrOps.Id != OperationsId.Paddr)
            throw new DamonException(Errno.EINVAL, $"damon_stat: needs the paddr operations set, not {paddrOps.Id.SysfsName()}");
        var ctx = new DamonContext(seed) { Ops = paddrOps };
        DamonCore.SetAttrs(ctx, Attrs);
        var target = new Target();
        ctx.AddTarget(target);
        ulong start = 0, end = 0;
        SystemRamRegion.SetDefault(target, ref start, ref end, DefaultRegionRule.BiggestSystemRam, Layout, ctx.AddrUnit, ctx.MinRegionSz);
        MonitoredRange = new AddrRange(start, end);
        return ctx;
    }

    /// <summary>
    /// damon_stat_start: build, start exclusively, install the refresh call. Unlike the other
    /// modules, stat.c builds a new context on every start (damon_stat_stop destroys it); the
    /// results parameters keep their last values until the first refresh.
    /// </summary>
    /// <param name="exclusive">False only to compare with a shared context (see PaddrModule.Start).</param>
    public Kdamond Start(DamonEngine engine, bool exclusive = true)
    {
        if (IsRunning)
            throw new DamonException(Errno.EBUSY, $"damon_stat: already running on {Kdamond!.Name}");
        var ops = engine.Registry.Get(OperationsId.Paddr)
            ?? throw new DamonException(Errno.EINVAL, "damon_stat: the paddr operations set is not registered");
        var ctx = BuildContext(ops);
        var k = engine.Start([ctx], exclusive)[0];
        Ctx = ctx;
        Kdamond = k;
        _lastRefreshNs = null;
        k.Call(c => RefreshIfDue(c, null), repeat: true);
        return k;
    }

    public void Stop()
    {
        if (Kdamond is not null)
            DamonEngine.Stop([Kdamond]);
    }

    /// <summary>
    /// damon_stat_damon_call_fn: refresh only once more than 5 s have passed. The kernel stamps
    /// the start time in damon_stat_start; the clock is attached when the kdamond is first run,
    /// so the first call (in the first iteration) stamps it here.
    /// </summary>
    private void RefreshIfDue(DamonContext c, AddrRange? within)
    {
        ulong now = c.Clock.NowNs;
        if (_lastRefreshNs is null)
        {
            _lastRefreshNs = now;
            return;
        }
        if (now <= _lastRefreshNs.Value + RefreshIntervalNs)
            return;
        _lastRefreshNs = now;
        Refresh(c, within);
    }

    /// <summary>Recompute every result from <paramref name="c"/>'s regions now.</summary>
    public void Refresh(DamonContext c, AddrRange? within = null)
    {
        var percentiles = (long[])Results.MemoryIdleMsPercentiles.Clone();
        StatComputation.SetIdleTimePercentiles(c, percentiles, IdleTimeRule, within);
        Results = new StatResults(StatComputation.EstimatedMemoryBandwidth(c, within), percentiles, c.Attrs.AggrIntervalUs);
    }

    string Shared.ISharedModule.Name => StatParams.ModuleName;

    /// <summary>Shared: STAT's context as alone (attrs, its range), with no schemes.</summary>
    DamonContext Shared.ISharedModule.Stage(DamonOperations paddrOps) => BuildContext(paddrOps);

    /// <summary>Shared: the same 5 s refresh, over the shared regions cut to STAT's own range.</summary>
    void Shared.ISharedModule.Update(DamonContext shared, IReadOnlyList<Core.Schemes.Damos> ownSchemes) => RefreshIfDue(shared, MonitoredRange);
}
