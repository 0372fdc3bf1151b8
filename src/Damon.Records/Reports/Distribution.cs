using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>damo's percentile-distribution printer shared by wss (and footprint-like) reports.</summary>
public static class Distribution
{
    /// <summary>Widest bar drawn; each percentile row is that many characters.</summary>
    public const int MaxNrColsBar = 1000;

    public static List<int> Percentiles((int Start, int Stop, int Step) range)
    {
        if (range.Step == 0) throw new ReportException("range step must not be zero");
        return Range(range.Start, range.Stop, range.Step);
    }

    /// <summary>
    /// Python's range(start, stop, step), cut after the first value no distribution can show
    /// (below -100 or above 200 the index is out of the list for any size), so "-r 0 2000000000 1"
    /// fails on 201 instead of building two billion rows. The value is kept so the caller reports it.
    /// </summary>
    internal static List<int> Range(int start, int stop, int step)
    {
        var list = new List<int>();
        for (long p = start; step > 0 ? p < stop : p > stop; p += step)
        {
            list.Add((int)p);
            if (p is < -100 or > 200) break;
        }
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
        if (nrColsBar > MaxNrColsBar) throw new ReportException($"--nr_cols_bar {nrColsBar} is over {MaxNrColsBar}");
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
