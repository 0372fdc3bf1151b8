using System.Text;
using System.Text.Json.Nodes;
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
    public static List<(string TargetId, List<long> Dist)> Distributions(IReadOnlyList<DamonRecord> records, WssReportOptions o)
    {
        var adjusted = RecordAdjuster.Adjust(records, o.WorkTimeUs, o.ExcludeSamples);
        var dists = new List<(string TargetId, List<long> Dist)>();
        foreach (var record in adjusted)
        {
            var dist = new List<long>();
            foreach (var snapshot in record.Snapshots)
            {
                long wss = 0;
                foreach (var r in snapshot.Regions)
                {
                    if ((r.NrAccessesSamples ?? 0) < o.AccThres) continue;
                    if (r.Sz < o.SzThres) continue;
                    wss += r.Sz;
                }
                dist.Add(wss);
            }
            if (o.SortBy != "time") dist.Sort();
            // damo keys the distributions by target id: a later record of the same target replaces an earlier one.
            int existing = dists.FindIndex(d => d.TargetId == record.TargetIdText);
            if (existing >= 0) dists[existing] = (record.TargetIdText, dist);
            else dists.Add((record.TargetIdText, dist));
        }
        if (o.CollapseTargets)
        {
            var collapsed = new List<long>();
            foreach (var (_, dist) in dists)
                for (int i = 0; i < dist.Count; i++)
                {
                    if (collapsed.Count <= i) collapsed.Add(dist[i]);
                    else collapsed[i] += dist[i];
                }
            dists = [("0", collapsed)];
        }
        return dists;
    }

    public static string Render(IReadOnlyList<DamonRecord> records, WssReportOptions o)
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
    public static string RenderJson(IReadOnlyList<DamonRecord> records, WssReportOptions o)
    {
        var targets = new JsonArray();
        foreach (var (tid, dist) in Distributions(records, o))
            targets.Add(DistributionJson.Target(tid, "wss", dist, Distribution.Percentiles(o.Range), o.AllWss));
        return DistributionJson.Document("wss", targets);
    }
}
