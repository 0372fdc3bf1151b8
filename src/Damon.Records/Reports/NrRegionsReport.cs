using System.Globalization;
using System.Text;
using Damon.Records.Model;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report nr_regions</c>: percentiles of the number of regions per snapshot, skipping the
/// first 20 snapshots (DAMON has not adapted its regions yet).
/// </summary>
public static class NrRegionsReport
{
    public const int SkippedSnapshots = 20;

    private static List<int> Percentiles((int Start, int Stop, int Step)? range) =>
        range is { } r ? Distribution.Percentiles(r) : [0, 25, 50, 75, 100];

    private static List<int> Dist(DamonRecord record, bool sortByTime)
    {
        var dist = record.Snapshots.Skip(SkippedSnapshots).Select(s => s.Regions.Count).ToList();
        if (!sortByTime) dist.Sort();
        return dist;
    }

    public static string Render(IReadOnlyList<DamonRecord> records, (int Start, int Stop, int Step)? range, bool sortByTime)
    {
        var percentiles = Percentiles(range);
        var sb = new StringBuilder("# <percentile> <# regions>\n");
        foreach (var record in records)
        {
            var dist = Dist(record, sortByTime);
            sb.Append("# target_id\t").Append(record.TargetIdText).Append('\n');
            if (dist.Count == 0)
            {
                // damo divides by zero here; say why there is nothing to show instead.
                sb.Append($"# no snapshot after the first {SkippedSnapshots}\n");
                continue;
            }
            double avr = (double)dist.Sum(n => (long)n) / dist.Count;
            sb.Append("# avr:\t").Append(Text.PyFormat.D(avr)).Append('\n');
            foreach (var p in percentiles)
            {
                int idx = Distribution.Index(dist.Count, p);
                if (idx < 0 || idx >= dist.Count) throw new ReportException($"percentile {p} is outside 0-100");
                sb.Append(p.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(dist[idx].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary><c>--json</c>: per record the average and the percentile rows of the text report.</summary>
    public static string RenderJson(IReadOnlyList<DamonRecord> records, (int Start, int Stop, int Step)? range, bool sortByTime)
    {
        var percentiles = Percentiles(range);
        var targets = new System.Text.Json.Nodes.JsonArray();
        foreach (var record in records)
        {
            var dist = Dist(record, sortByTime).ConvertAll(n => (long)n);
            var o = DistributionJson.Target(record.TargetIdText, "nr_regions", dist, percentiles);
            o["skipped_snapshots"] = SkippedSnapshots;
            targets.Add(o);
        }
        return DistributionJson.Document("nr_regions", targets);
    }
}
