using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Host.Snapshots;

namespace Damon.Host.Engine;

/// <summary>Copies an in-process context's regions out at its aggregation (backends that run Damon's engine).</summary>
public static class EngineSnapshot
{
    public static AggregationSnapshot Capture(BackendContext place, DamonContext ctx, ulong nowUs)
    {
        var targets = new List<TargetSnapshot>(ctx.Targets.Count);
        // Every region of a context that folds reports carries its breakdown, an empty one when no
        // report reached it, so a record tells "nobody accessed it" from "not recorded".
        bool byReports = ctx.Attrs.SampleControl.UsesReports;
        for (int i = 0; i < ctx.Targets.Count; i++)
        {
            var t = ctx.Targets[i];
            var rows = new List<RegionRow>(t.NrRegions);
            foreach (var r in t.Regions)
                rows.Add(new RegionRow(r.Start * ctx.AddrUnit, r.End * ctx.AddrUnit, r.NrAccesses, r.Age)
                {
                    AccessesBy = byReports ? r.AccessesBy?.ToCounts() ?? AccessBreakdownCounts.Empty : null,
                });
            targets.Add(new TargetSnapshot(i, place.TargetsHavePids ? t.Pid : null, rows));
        }
        return new AggregationSnapshot(place, nowUs, ctx.Attrs, targets);
    }
}
