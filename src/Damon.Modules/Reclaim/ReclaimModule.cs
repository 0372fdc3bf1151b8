using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Reclaim;

/// <summary>
/// DAMON_RECLAIM (mm/damon/reclaim.c): one pageout scheme for regions unaccessed for
/// <c>min_age</c>, over all System RAM.
/// </summary>
public sealed class ReclaimModule(ReclaimParams parameters, IMemoryLayout layout, IDamonMetrics? metrics = null, ulong seed = 0)
    : PaddrModule<ReclaimParams>(parameters, layout, metrics, seed)
{
    /// <summary>Fixed quota weights: within the quota, page out older regions first.</summary>
    public const uint WeightSz = 0, WeightNrAccesses = 0, WeightAge = 1;

    /// <summary>The stats parameters (nr/bytes_reclaim_tried_regions, nr/bytes_reclaimed_regions, nr_quota_exceeds).</summary>
    public ModuleSchemeStats Stats { get; private set; } = ModuleSchemeStats.Zero;

    public IReadOnlyList<KeyValuePair<string, ulong>> NamedStats => Stats.Named("reclaim_tried_regions", "reclaimed_regions", "quota_exceeds");

    /// <summary>damon_reclaim_new_scheme.</summary>
    public static Damos NewScheme(ReclaimParams p, ulong aggrIntervalUs)
    {
        var pattern = new DamosAccessPattern(
            MinSzRegion: PageSize, MaxSzRegion: ulong.MaxValue,
            MinNrAccesses: 0, MaxNrAccesses: 0,
            MinAgeRegion: unchecked((uint)(p.MinAgeUs / aggrIntervalUs)), MaxAgeRegion: uint.MaxValue);
        return new Damos(pattern, DamosAction.Pageout, applyIntervalUs: 0,
            p.Quota.ToQuota(WeightSz, WeightNrAccesses, WeightAge), p.Wmarks.ToWatermarks(), Damos.NumaNoNode);
    }

    /// <summary>damon_reclaim_apply_parameters, up to the commit.</summary>
    protected override void Build(DamonContext ctx, Target target)
    {
        var p = Params;
        ctx.AddrUnit = p.AddrUnit;
        ctx.MinRegionSz = MinRegionSzFor(p.AddrUnit);

        var attrs = p.MonAttrs.ToAttrs();
        if (p.AutotuneMonitoringIntervals)
            attrs = ModuleMonitoringAttrs.Autotuned(attrs);
        DamonCore.SetAttrs(ctx, attrs);

        var scheme = NewScheme(p, attrs.AggrIntervalUs);
        DamosCore.AddScheme(ctx, scheme);
        if (p.QuotaMemPressureUs != 0)
            scheme.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.SomeMemPsiUs, p.QuotaMemPressureUs));
        if (p.QuotaAutotuneFeedback != 0)
            scheme.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 10000) { CurrentValue = p.QuotaAutotuneFeedback });
        if (p.SkipAnon)
            scheme.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: false));

        SetRegion(ctx, target, p.MonitorRegionStart, p.MonitorRegionEnd, DefaultRegionRule.SystemRams,
            (q, s, e) => q with { MonitorRegionStart = s, MonitorRegionEnd = e });
    }

    /// <summary>damon_reclaim_damon_call_fn: the (only) scheme's stat.</summary>
    protected override void CopyStats(IReadOnlyList<Damos> schemes)
    {
        foreach (var s in schemes)
            Stats = ModuleSchemeStats.From(s.Stat);
    }
}
