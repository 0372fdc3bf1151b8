using Damon.Config.Schema;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;

namespace Damon.Config.Engine;

/// <summary>
/// Engine → status dump: the parameters of <see cref="ContextMapping.FromEngine"/> plus what damo
/// reads from sysfs only while DAMON runs (kdamond state, damos_stat, quota esz, tried regions).
/// </summary>
public static class StatusMapping
{
    /// <summary>One kdamond's contexts, as a status dump entry.</summary>
    public static KdamondSpec Kdamond(bool running, int? pid, IEnumerable<(DamonContext Ctx, OperationsId OpsId)> contexts,
        IMemcgResolver memcgs, bool withTriedRegions)
    {
        return new KdamondSpec
        {
            State = running ? "on" : "off",
            Pid = pid,
            Contexts = contexts.Select(c => Context(c.Ctx, c.OpsId, memcgs, withTriedRegions)).ToList(),
        };
    }

    public static ContextSpec Context(DamonContext ctx, OperationsId opsId, IMemcgResolver memcgs, bool withTriedRegions)
    {
        var spec = ContextMapping.FromEngine(ctx, opsId, memcgs);
        for (int i = 0; i < ctx.Schemes.Count; i++)
        {
            var s = ctx.Schemes[i];
            spec.Schemes[i].Stats = Stats(s);
            if (withTriedRegions) spec.Schemes[i].TriedRegions = TriedRegions(ctx, s);
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
    /// update_schemes_tried_regions: the current regions of every target that match the scheme's
    /// access pattern (__damos_valid_target), read without running an apply round.
    /// </summary>
    public static List<TriedRegionSpec> TriedRegions(DamonContext ctx, Damos s)
    {
        var regions = new List<TriedRegionSpec>();
        foreach (var t in ctx.Targets)
            foreach (var r in t.Regions)
                if (DamosCore.PatternMatches(ctx, r, s))
                    regions.Add(new TriedRegionSpec { Start = r.Start, End = r.End, NrAccesses = r.NrAccesses, Age = r.Age });
        return regions;
    }
}
