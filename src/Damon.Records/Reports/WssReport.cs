using System.Text;
using System.Text.Json.Nodes;
using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Text;
using Damon.Records.Transforms;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report wss</c>: the working set of a snapshot is the bytes of regions with at least
/// <c>AccThres</c> accesses (and at least <c>SzThres</c> bytes); its distribution over the
/// snapshots (re-aggregated to the work time, the first ones skipped) is shown as percentiles.
/// </summary>
public static class WssReport
{
    /// <summary>The working set size distribution per (collapsed) target, as the report prints it.</summary>
    public static List<(string TargetId, List<long> Dist)> Distributions(IReadOnlyList<DamonRecord> records, WssReportOptions o) =>
        Distributions(RecordSource.Of(records), o);

    /// <summary>
    /// One pass over the records, holding per target its working set sizes and per record the
    /// snapshots of one work-time group (one snapshot at the default work time).
    /// </summary>
    public static List<(string TargetId, List<long> Dist)> Distributions(RecordSource source, WssReportOptions o)
    {
        if (o.WorkTimeUs < 0) throw new ArgumentOutOfRangeException(nameof(o), "WorkTimeUs must not be negative");
        if (o.ExcludeSamples < 0) throw new ArgumentOutOfRangeException(nameof(o), "ExcludeSamples must not be negative");
        var dists = new List<(string TargetId, List<long> Dist)>();
        var grouper = new RecordAdjuster.SnapshotGrouper(o.WorkTimeUs);
        var dist = new List<long>();
        int seen = 0;
        foreach (var e in source.Events())
        {
            if (e.Kind == RecordEventKind.Snapshot)
            {
                if (seen++ < o.ExcludeSamples) continue;
                if (grouper.Add(e.Snapshot!) is { } snapshot) dist.Add(Wss(snapshot, o));
                continue;
            }
            if (e.Kind != RecordEventKind.End) continue;
            var record = e.Record!;
            if (o.SortBy != "time") dist.Sort();
            // damo keys the distributions by target id: a later record of the same target replaces an earlier one.
            int existing = dists.FindIndex(d => d.TargetId == record.TargetIdText);
            if (existing >= 0) dists[existing] = (record.TargetIdText, dist);
            else dists.Add((record.TargetIdText, dist));
            dist = [];
            seen = 0;
            grouper.Reset();
        }
        if (o.CollapseTargets)
        {
            var collapsed = new List<long>();
            foreach (var (_, targetDist) in dists)
                for (int i = 0; i < targetDist.Count; i++)
                {
                    if (collapsed.Count <= i) collapsed.Add(targetDist[i]);
                    else collapsed[i] += targetDist[i];
                }
            dists = [("0", collapsed)];
        }
        return dists;
    }

    private static long Wss(DamonSnapshot snapshot, WssReportOptions o)
    {
        long wss = 0;
        foreach (var r in snapshot.Regions)
        {
            if ((r.NrAccessesSamples ?? 0) < o.AccThres) continue;
            if (r.Sz < o.SzThres) continue;
            wss += r.Sz;
        }
        return wss;
    }

    public static string Render(IReadOnlyList<DamonRecord> records, WssReportOptions o) => Render(RecordSource.Of(records), o);

    public static string Render(RecordSource records, WssReportOptions o)
    {
        var dists = Distributions(records, o);
        var sb = new StringBuilder();
        foreach (var (tid, dist) in dists)
        {
            sb.Append("# target_id\t").Append(tid).Append('\n');
            sb.Append(Distribution.Format("wss", dist, Distribution.Percentiles(o.Range), o.AllWss, o.RawNumber, o.NrColsBar)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>--json</c>: per target the average and the rows the text shows (percentile rows, or every
    /// value with <c>--all_wss</c>), as raw byte counts.
    /// </summary>
    public static string RenderJson(IReadOnlyList<DamonRecord> records, WssReportOptions o) => RenderJson(RecordSource.Of(records), o);

    public static string RenderJson(RecordSource records, WssReportOptions o)
    {
        var targets = new JsonArray();
        foreach (var (tid, dist) in Distributions(records, o))
            targets.Add(DistributionJson.Target(tid, "wss", dist, Distribution.Percentiles(o.Range), o.AllWss));
        return DistributionJson.Document("wss", targets);
    }
}
