using Damon.Core.Monitoring;

namespace Damon.Cli.Simulation;

/// <summary>One region as DAMON reported it at an aggregation boundary, in real (byte) addresses.</summary>
internal readonly record struct RegionRow(ulong Start, ulong End, uint NrAccesses, uint Age)
{
    public ulong Size => End - Start;
}

/// <summary>One target's regions at an aggregation boundary.</summary>
internal sealed record TargetSnapshot(int TargetIdx, int? Pid, IReadOnlyList<RegionRow> Regions);

/// <summary>
/// A context's regions at the end of an aggregation interval (the damon_aggregated moment, before
/// the reset), copied out so they can be printed or recorded later.
/// </summary>
internal sealed record CapturedSnapshot(SimContext Context, ulong TimeUs, MonitoringAttrs Attrs, IReadOnlyList<TargetSnapshot> Targets)
{
    /// <summary>nr_accesses of a region accessed at every sample of the window.</summary>
    public uint MaxNrAccesses => Math.Max(DamonCore.NrSamplesPerAggr(Attrs), 1);

    public static CapturedSnapshot Capture(SimContext sc, ulong nowUs)
    {
        var ctx = sc.Ctx;
        bool hasPid = sc.OpsId != Damon.Core.Operations.OperationsId.Paddr;
        var targets = new List<TargetSnapshot>(ctx.Targets.Count);
        for (int i = 0; i < ctx.Targets.Count; i++)
        {
            var t = ctx.Targets[i];
            var rows = new List<RegionRow>(t.NrRegions);
            foreach (var r in t.Regions)
                rows.Add(new RegionRow(r.Start * ctx.AddrUnit, r.End * ctx.AddrUnit, r.NrAccesses, r.Age));
            targets.Add(new TargetSnapshot(i, hasPid ? t.Pid : null, rows));
        }
        return new CapturedSnapshot(sc, nowUs, ctx.Attrs, targets);
    }
}
