using Damon.Core.Monitoring;
using Damon.Core.Util;

namespace Damon.Core.Schemes;

/// <summary>
/// damon_hot_score / damon_cold_score (ops-common.c): a region's priority under a quota, from its
/// access frequency and age, weighted by the quota's weights.
/// </summary>
public static class DamosScores
{
    private const int MaxSubscore = 100; // DAMON_MAX_SUBSCORE
    private const int MaxAgeInLog = 32;  // DAMON_MAX_AGE_IN_LOG

    public static int HotScore(DamonContext ctx, Region r, Damos s)
    {
        uint freqWeight = s.Quota.WeightNrAccesses;
        uint ageWeight = s.Quota.WeightAge;

        long freqSubscore = (long)KernelMath.MultFrac(DamonCore.NrAccessesMvsum(r, ctx), MaxSubscore,
            DamonCore.NrSamplesPerAggr(ctx.Attrs));
        ulong ageInSec = (ulong)RegionOwnAges.Of(r, s.AgeOwner) * ctx.Attrs.AggrIntervalUs / 1_000_000;
        int ageInLog = 0;
        for (; ageInLog < MaxAgeInLog && ageInSec != 0; ageInLog++)
            ageInSec >>= 1;
        // Never accessed: the older, the colder.
        if (freqSubscore == 0)
            ageInLog = -ageInLog;
        long ageSubscore = (long)(ageInLog + MaxAgeInLog) * MaxSubscore / MaxAgeInLog / 2;

        long hotness = freqWeight * freqSubscore + ageWeight * ageSubscore;
        if (freqWeight + ageWeight != 0)
            hotness /= freqWeight + ageWeight;
        hotness = hotness * DamosQuota.MaxScore / MaxSubscore;
        return (int)Math.Clamp(hotness, 0, DamosQuota.MaxScore);
    }

    public static int ColdScore(DamonContext ctx, Region r, Damos s) => DamosQuota.MaxScore - HotScore(ctx, r, s);

    /// <summary>damon_va_scheme_score: only the actions vaddr supports that move or drop memory get a score.</summary>
    public static int VaSchemeScore(DamonContext ctx, Region r, Damos s) => s.Action switch
    {
        DamosAction.Pageout or DamosAction.MigrateCold => ColdScore(ctx, r, s),
        DamosAction.MigrateHot => HotScore(ctx, r, s),
        _ => DamosQuota.MaxScore,
    };

    /// <summary>damon_pa_scheme_score: vaddr's table plus the LRU (de)prioritisations.</summary>
    public static int PaSchemeScore(DamonContext ctx, Region r, Damos s) => s.Action switch
    {
        DamosAction.Pageout or DamosAction.LruDeprio or DamosAction.MigrateCold => ColdScore(ctx, r, s),
        DamosAction.LruPrio or DamosAction.MigrateHot => HotScore(ctx, r, s),
        _ => DamosQuota.MaxScore,
    };
}
