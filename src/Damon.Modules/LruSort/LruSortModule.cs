using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.LruSort;

/// <summary>
/// DAMON_LRU_SORT (mm/damon/lru_sort.c): a hot scheme (lru_prio) and a cold scheme (lru_deprio)
/// sharing the time quota, over all System RAM.
/// </summary>
public sealed class LruSortModule(LruSortParams parameters, IMemoryLayout layout, IDamonMetrics? metrics = null, ulong seed = 0)
    : PaddrModule<LruSortParams>(parameters, layout, metrics, seed)
{
    /// <summary>Fixed quota weights: within the quota, hotter (colder) regions first.</summary>
    public const uint WeightSz = 0, WeightNrAccesses = 1, WeightAge = 1;

    /// <summary>Stats of the hot scheme (nr/bytes_lru_sort_tried_hot_regions, nr/bytes_lru_sorted_hot_regions, nr_hot_quota_exceeds).</summary>
    public ModuleSchemeStats HotStats { get; private set; } = ModuleSchemeStats.Zero;
    /// <summary>Stats of the cold scheme (the *_cold_* equivalents).</summary>
    public ModuleSchemeStats ColdStats { get; private set; } = ModuleSchemeStats.Zero;

    public IReadOnlyList<KeyValuePair<string, ulong>> NamedStats =>
    [
        .. HotStats.Named("lru_sort_tried_hot_regions", "lru_sorted_hot_regions", "hot_quota_exceeds"),
        .. ColdStats.Named("lru_sort_tried_cold_regions", "lru_sorted_cold_regions", "cold_quota_exceeds"),
    ];

    /// <summary>damon_lru_sort_stub_pattern: PAGE_SIZE or larger, any frequency, any age.</summary>
    private static readonly DamosAccessPattern StubPattern = new(PageSize, ulong.MaxValue, 0, uint.MaxValue, 0, uint.MaxValue);

    /// <summary>damon_lru_sort_new_scheme: half of the time quota each.</summary>
    private static Damos NewScheme(LruSortParams p, DamosAccessPattern pattern, DamosAction action)
    {
        var quota = p.Quota.ToQuota(WeightSz, WeightNrAccesses, WeightAge);
        quota.Ms /= 2;
        return new Damos(pattern, action, applyIntervalUs: 0, quota, p.Wmarks.ToWatermarks(), Damos.NumaNoNode);
    }

    /// <summary>damon_lru_sort_new_hot_scheme.</summary>
    public static Damos NewHotScheme(LruSortParams p, uint hotThres)
        => NewScheme(p, StubPattern with { MinNrAccesses = hotThres }, DamosAction.LruPrio);

    /// <summary>damon_lru_sort_new_cold_scheme.</summary>
    public static Damos NewColdScheme(LruSortParams p, uint coldThres)
        => NewScheme(p, StubPattern with { MaxNrAccesses = 0, MinAgeRegion = coldThres }, DamosAction.LruDeprio);

    /// <summary>hot_thres = damon_max_nr_accesses(attrs) * hot_thres_access_freq / 1000, stored in an unsigned int.</summary>
    public static uint HotThres(MonitoringAttrs attrs, ulong hotThresAccessFreq)
    {
        ulong maxNrAccesses = Math.Min(attrs.AggrIntervalUs / attrs.SampleIntervalUs, uint.MaxValue);
        return unchecked((uint)(maxNrAccesses * hotThresAccessFreq / 1000));
    }

    /// <summary>damon_lru_sort_apply_parameters, up to the commit.</summary>
    protected override void Build(DamonContext ctx, Target target)
    {
        var p = Params;
        ctx.AddrUnit = p.AddrUnit;
        ctx.MinRegionSz = MinRegionSzFor(p.AddrUnit);

        var attrs = p.MonAttrs.ToAttrs();
        if (p.AutotuneMonitoringIntervals)
            attrs = ModuleMonitoringAttrs.Autotuned(attrs);
        DamonCore.SetAttrs(ctx, attrs);

        var hot = NewHotScheme(p, HotThres(attrs, p.HotThresAccessFreq));
        var cold = NewColdScheme(p, unchecked((uint)(p.ColdMinAgeUs / attrs.AggrIntervalUs)));
        DamosCore.AddScheme(ctx, hot);
        DamosCore.AddScheme(ctx, cold);

        // damon_lru_sort_add_quota_goals: the +2 bp overlap keeps a little ping-pong.
        if (p.ActiveMemBp != 0)
        {
            hot.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.ActiveMemBp, p.ActiveMemBp));
            cold.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.InactiveMemBp, unchecked(10000 - p.ActiveMemBp + 2)));
        }
        // damon_lru_sort_add_filters: do not prioritize not-young pages, nor deprioritize young ones.
        if (p.FilterYoungPages)
        {
            hot.AddFilter(new DamosFilter(DamosFilterType.Young, matching: false, allow: false));
            cold.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: false));
        }

        SetRegion(ctx, target, p.MonitorRegionStart, p.MonitorRegionEnd, DefaultRegionRule.SystemRams,
            (q, s, e) => q with { MonitorRegionStart = s, MonitorRegionEnd = e });
    }

    /// <summary>damon_lru_sort_damon_call_fn: stats by action.</summary>
    protected override void CopyStats(IReadOnlyList<Damos> schemes)
    {
        HotStats = ModuleSchemeStats.Of(schemes, DamosAction.LruPrio);
        ColdStats = ModuleSchemeStats.Of(schemes, DamosAction.LruDeprio);
    }
}
