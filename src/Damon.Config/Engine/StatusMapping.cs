using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Config.Engine;

/// <summary>
/// Engine → status dump: the parameters of <see cref="ContextMapping.FromEngine"/> plus what damo
/// reads from sysfs only while DAMON runs (kdamond state, damos_stat, quota esz, and the tried
/// regions a <see cref="DamosTriedRegionsUpdate"/> gathered).
/// </summary>
public static class StatusMapping
{
    /// <summary>
    /// One kdamond's contexts, as a status dump entry. <paramref name="withTriedRegions"/> adds each
    /// scheme's tried regions: those of the context's completed (or cancelled) update, or none, as
    /// the sysfs directories read when no update filled them.
    /// </summary>
    public static KdamondSpec Kdamond(bool running, int? pid,
        IEnumerable<(DamonContext Ctx, OperationsId OpsId, DamosTriedRegionsUpdate? Tried)> contexts,
        IMemcgResolver memcgs, bool withTriedRegions)
    {
        return new KdamondSpec
        {
            State = running ? "on" : "off",
            Pid = pid,
            Contexts = contexts.Select(c => Context(c.Ctx, c.OpsId, memcgs, withTriedRegions, c.Tried)).ToList(),
        };
    }

    public static ContextSpec Context(DamonContext ctx, OperationsId opsId, IMemcgResolver memcgs, bool withTriedRegions,
        DamosTriedRegionsUpdate? tried = null)
    {
        var spec = ContextMapping.FromEngine(ctx, opsId, memcgs);
        for (int i = 0; i < ctx.Schemes.Count; i++)
        {
            var s = ctx.Schemes[i];
            spec.Schemes[i].Stats = Stats(s);
            if (withTriedRegions)
                (spec.Schemes[i].TriedRegions, spec.Schemes[i].TotalBytes) = TriedRegions(tried, i);
        }
        return spec;
    }

    public static SchemeStatsSpec Stats(Damos s) => new()
    {
        NrTried = s.Stat.NrTried,
        SzTried = s.Stat.SzTried,
        NrApplied = s.Stat.NrApplied,
        SzApplied = s.Stat.SzApplied,
        SzOpsFilterPassed = s.Stat.SzOpsFilterPassed,
        QtExceeds = s.Stat.QtExceeds,
        NrSnapshots = s.Stat.NrSnapshots,
        MaxNrSnapshots = s.MaxNrSnapshots,
    };

    /// <summary>
    /// schemes/&lt;i&gt;/tried_regions/: the regions and total_bytes the update's walk gathered for
    /// scheme <paramref name="schemeIdx"/> — empty for a scheme the update has no directory for, or
    /// with no update.
    /// </summary>
    public static (List<TriedRegionSpec> Regions, ulong TotalBytes) TriedRegions(DamosTriedRegionsUpdate? tried, int schemeIdx)
    {
        if (tried is null || schemeIdx >= tried.NrSchemes)
            return ([], 0);
        var regions = tried.Regions(schemeIdx).Select(r => new TriedRegionSpec
        {
            Start = r.Start,
            End = r.End,
            NrAccesses = r.NrAccesses,
            Age = r.Age,
            SzFilterPassed = r.SzFilterPassed,
        }).ToList();
        return (regions, tried.TotalBytes(schemeIdx));
    }
}
