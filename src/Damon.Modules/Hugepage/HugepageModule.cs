using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Hugepage;

/// <summary>
/// The damos_hugepage-style module on one process (vaddr): a hot scheme that collapses regions
/// accessed at least <see cref="HugepageParams.HotThresAccessFreq"/> of the maximum into THPs,
/// its quota tuned toward <see cref="HugepageParams.HugepageMemBp"/> by the chosen goal tuner, and
/// a cold scheme that applies <c>nohugepage</c> to regions unaccessed for
/// <see cref="HugepageParams.ColdMinAgeUs"/>. Both patterns need at least one 2 MiB block, the
/// only unit either action works in.
/// </summary>
public sealed class HugepageModule(HugepageParams parameters, ulong seed = 0)
{
    public const ulong ThpSize = 2UL << 20;
    /// <summary>Weights: vaddr scores collapse and nohugepage 99 whatever they are (§3.4), so only their presence matters.</summary>
    public const uint WeightSz = 0, WeightNrAccesses = 1, WeightAge = 1;

    public HugepageParams Params { get; } = parameters;
    public Damos? Hot { get; private set; }
    public Damos? Cold { get; private set; }
    public Damos? Underused { get; private set; }

    /// <summary>The hot (collapse) scheme: at least one THP block, at least hot_thres accesses, any age.</summary>
    public static Damos NewHotScheme(HugepageParams p, MonitoringAttrs attrs)
    {
        ulong maxNrAccesses = Math.Min(attrs.AggrIntervalUs / attrs.SampleIntervalUs, uint.MaxValue);
        uint hotThres = (uint)Math.Max(1, maxNrAccesses * p.HotThresAccessFreq / 1000);
        var quota = p.Quota.ToQuota(WeightSz, WeightNrAccesses, WeightAge);
        quota.GoalTuner = p.Tuner;
        var s = new Damos(new DamosAccessPattern(ThpSize, ulong.MaxValue, hotThres, uint.MaxValue, 0, uint.MaxValue),
            DamosAction.Collapse, applyIntervalUs: 0, quota);
        // damon_new_scheme starts with no goals: they go on the scheme's own quota.
        if (p.HugepageMemBp != 0)
            s.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.HugepageMemBp, p.HugepageMemBp));
        return s;
    }

    /// <summary>The cold (nohugepage) scheme: at least one THP block, no access for cold_min_age.</summary>
    public static Damos NewColdScheme(HugepageParams p, MonitoringAttrs attrs)
    {
        uint minAge = (uint)Math.Min(p.ColdMinAgeUs / attrs.AggrIntervalUs, uint.MaxValue);
        return new Damos(new DamosAccessPattern(ThpSize, ulong.MaxValue, 0, 0, minAge, uint.MaxValue),
            DamosAction.Nohugepage, applyIntervalUs: 0, (p.Quota with { Sz = p.ColdQuotaSz }).ToQuota(WeightSz, WeightNrAccesses, WeightAge));
    }

    /// <summary>
    /// The underused scheme (Hildenbrand's question, whether an underused huge page that is hot
    /// should stay whole): at least one THP block, accessed in at least one sample, any age,
    /// <c>nohugepage</c> at the cold scheme's quota. Which THPs of such a region go is the
    /// operations set's underused test, not DAMON's: a THP's accessed bit says nothing about how
    /// many of its subpages are used.
    /// </summary>
    public static Damos NewUnderusedScheme(HugepageParams p, MonitoringAttrs attrs) =>
        new(new DamosAccessPattern(ThpSize, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue),
            DamosAction.Nohugepage, applyIntervalUs: 0, (p.Quota with { Sz = p.ColdQuotaSz }).ToQuota(WeightSz, WeightNrAccesses, WeightAge));

    /// <summary>The module's context on <paramref name="vaddrOps"/>, not started; the hugepage_mem_bp goal reads <paramref name="metrics"/>.</summary>
    public DamonContext BuildContext(DamonOperations vaddrOps, IDamonMetrics? metrics = null)
    {
        if (vaddrOps.Id != OperationsId.Vaddr)
            throw new DamonException(Errno.EINVAL, $"{HugepageParams.ModuleName}: needs the vaddr operations set, not {vaddrOps.Id.SysfsName()}");
        Params.Validate();
        var ctx = new DamonContext(seed) { Ops = vaddrOps, Metrics = metrics };
        var attrs = Params.MonAttrs.ToAttrs();
        DamonCore.SetAttrs(ctx, attrs);
        ctx.AddTarget(new Target(Params.TargetPid));
        AddSchemes(ctx, attrs);
        return ctx;
    }

    /// <summary>Add the module's schemes to an existing context (one the caller made, e.g. on a simulated machine).</summary>
    public void AddSchemes(DamonContext ctx, MonitoringAttrs attrs)
    {
        if (Params.CollapseHot)
            DamosCore.AddScheme(ctx, Hot = NewHotScheme(Params, attrs));
        if (Params.SplitCold)
            DamosCore.AddScheme(ctx, Cold = NewColdScheme(Params, attrs));
        if (Params.SplitUnderused)
            DamosCore.AddScheme(ctx, Underused = NewUnderusedScheme(Params, attrs));
    }
}
