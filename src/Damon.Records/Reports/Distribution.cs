using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>damo's percentile-distribution printer shared by wss (and footprint-like) reports.</summary>
public static class Distribution
{
    public static List<int> Percentiles((int Start, int Stop, int Step) range)
    {
        if (range.Step == 0) throw new ReportException("range step must not be zero");
        var list = new List<int>();
        for (int p = range.Start; range.Step > 0 ? p < range.Stop : p > range.Stop; p += range.Step) list.Add(p);
        return list;
    }

    public static int Index(int count, int percentile)
    {
        int idx = (int)(percentile / 100.0 * count);
        return idx == count ? idx - 1 : idx;
    }

    public static string Format(string metricName, List<long> dist, List<int> percentiles, bool all, bool raw, int nrColsBar)
    {
        var lines = new List<string> { $"# <percentile> <{metricName}>" };
        if (dist.Count == 0)
        {
            lines.Add("# no snapshot");
            return string.Join("\n", lines);
        }
        double sum = 0;
        foreach (var v in dist) sum += v;
        lines.Add("# avr:\t" + DamoFormat.Sz(sum / dist.Count, raw));
        if (all)
        {
            for (int i = 0; i < dist.Count; i++) lines.Add($"{i} {DamoFormat.Sz(dist[i], raw)}");
            return string.Join("\n", lines);
        }
        double valPerCol = 1;
        if (nrColsBar > 0)
        {
            long maxVal = 0;
            foreach (var p in percentiles)
            {
                int idx = Index(dist.Count, p);
                if (idx < 0 || idx >= dist.Count) continue;
                if (maxVal <= dist[idx]) maxVal = dist[idx];
            }
            valPerCol = maxVal > 0 ? (double)maxVal / nrColsBar : 1;
        }
        foreach (var p in percentiles)
        {
            int idx = Index(dist.Count, p);
            if (idx < 0 || idx >= dist.Count)
                throw new ReportException($"percentile {p} is outside 0-100");
            long val = dist[idx];
            var line = p.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3) + " " + DamoFormat.Sz(val, raw).PadLeft(15);
            if (nrColsBar > 0)
            {
                int cols = (int)(val / valPerCol);
                line += " |" + new string('*', Math.Max(cols, 0)) + new string(' ', Math.Max(nrColsBar - cols, 0)) + "|";
            }
            lines.Add(line);
        }
        return string.Join("\n", lines);
    }
}
