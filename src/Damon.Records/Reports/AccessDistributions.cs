using System.Globalization;
using System.Text;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// Per-byte distributions of a snapshot for <c>report access</c>: recency (idle time) and
/// temperature percentiles, and total size histograms over ranges of either metric. "df-passed"
/// variants weight bytes by what passed the snapshot's DAMOS filters instead of region size.
/// </summary>
public static class AccessDistributions
{
    private const int MaxDots = 20;

    private static double Metric(DamonRegion r, double aggrUs, AccessReportOptions o, bool recency) =>
        recency ? AccessMetrics.IdleTimeUs(r, aggrUs) : AccessMetrics.Temperature(r, [0, o.TemperatureWeights[1], o.TemperatureWeights[2]]);

    private static string FormatMetric(double value, bool raw, bool recency) =>
        recency ? DamoFormat.TimeUs(value, raw) : DamoFormat.Nr(value, raw);

    public static IReadOnlyList<int> PercentilesToShow(AccessReportOptions o)
    {
        var range = o.PercentilesRange;
        if (range is null) return [0, 1, 25, 50, 75, 99, 100];
        if (range.Count > 3)
        {
            foreach (var p in range)
                if (p is < 0 or > 100) throw new ReportException($"--percentiles_range: percentile {p} is outside 0-100");
            return range.Order().ToList();
        }
        int start = range.Count >= 2 ? range[0] : 0;
        int stop = range.Count >= 2 ? range[1] : range.Count == 1 ? range[0] : 0;
        int step = range.Count == 3 ? range[2] : 1;
        if (step == 0) throw new ReportException("--percentiles_range step must not be zero");
        var list = new List<int>();
        for (long p = start; step > 0 ? p < stop : p > stop; p += step)
        {
            // Checked while generating, so "0 2000000000 1" fails at 101 instead of listing billions.
            if (p is < 0 or > 100) throw new ReportException($"--percentiles_range: percentile {p} is outside 0-100");
            list.Add((int)p);
        }
        return list;
    }

    public static string Percentiles(DamonSnapshot snapshot, DamonIntervals intervals, AccessReportOptions o, bool dfPassed, bool recency)
    {
        if (snapshot.Regions.Count == 0) return "no region in snapshot";
        double aggrUs = AccessMetrics.AggrUs(snapshot, intervals);
        var regions = snapshot.Regions.OrderBy(r => Metric(r, aggrUs, o, recency)).ToList();
        long totalSz = 0;
        foreach (var r in regions) totalSz += dfPassed ? r.SzFilterPassed ?? 0 : r.Sz;
        if (totalSz == 0) return dfPassed ? "no df-passed bytes in snapshot" : "no bytes in snapshot";

        var toShow = new Queue<int>(PercentilesToShow(o));
        var values = new List<(int Percentile, double Value)>();
        double percentile = 0;
        DamonRegion last = regions[0];
        foreach (var r in regions)
        {
            last = r;
            percentile += (double)(dfPassed ? r.SzFilterPassed ?? 0 : r.Sz) * 100 / totalSz;
            while (toShow.Count > 0 && percentile >= toShow.Peek())
                values.Add((toShow.Dequeue(), Metric(r, aggrUs, o, recency)));
            if (percentile >= 100.0) break;
        }
        if (toShow.Contains(100)) values.Add((100, Metric(last, aggrUs, o, recency)));

        string legend = recency
            ? (o.RawNumber ? "<idle time (us)>" : "<idle time>")
            : $"<temperature (weights: {PyList(o.TemperatureWeights)})>";
        var lines = new List<string> { (dfPassed ? "<df-passed percentile> " : "<percentile> ") + legend };
        if (values.Count == 0) return lines[0];
        var pTexts = values.Select(v => v.Percentile.ToString(CultureInfo.InvariantCulture)).ToList();
        var vTexts = values.Select(v => FormatMetric(v.Value, o.RawNumber, recency)).ToList();
        int pWidth = pTexts.Max(t => t.Length);
        int vWidth = vTexts.Max(t => t.Length);
        double minVal = values[0].Value, maxVal = values[^1].Value;
        double valPerDot = maxVal != minVal ? (maxVal - minVal) / MaxDots : 1;
        for (int i = 0; i < values.Count; i++)
        {
            int bar = (int)((values[i].Value - minVal) / valPerDot);
            bar = Math.Clamp(bar, 0, MaxDots);
            lines.Add(pTexts[i].PadLeft(pWidth) + "  " + vTexts[i].PadLeft(vWidth) + "  |" + new string('*', bar) + new string(' ', MaxDots - bar) + "|");
        }
        return string.Join("\n", lines);
    }

    public static string TemperatureSzHistogram(DamonSnapshot snapshot, DamonIntervals intervals, AccessReportOptions o, bool dfPassed) =>
        SzHistogram(snapshot, intervals, o, dfPassed, recency: false);

    public static string RecencySzHistogram(DamonSnapshot snapshot, DamonIntervals intervals, AccessReportOptions o, bool dfPassed) =>
        SzHistogram(snapshot, intervals, o, dfPassed, recency: true);

    private static string SzHistogram(DamonSnapshot snapshot, DamonIntervals intervals, AccessReportOptions o, bool dfPassed, bool recency)
    {
        if (snapshot.Regions.Count == 0) return "no region in snapshot";
        double aggrUs = AccessMetrics.AggrUs(snapshot, intervals);
        var dist = new SortedDictionary<double, long>();
        foreach (var r in snapshot.Regions)
        {
            double metric = Metric(r, aggrUs, o, recency);
            dist.TryGetValue(metric, out var sz);
            dist[metric] = sz + (dfPassed ? r.SzFilterPassed ?? 0 : r.Sz);
        }
        double minV = dist.Keys.First(), maxV = dist.Keys.Last();
        var ranges = o.HistLogscale ? LogscaleRanges(minV, maxV, 10, o.HistCumulate) : LinearRanges(minV, maxV, 10, o.HistCumulate);
        var hist = new List<(string X, string Y, long Value)>();
        foreach (var (lo, hi) in ranges)
        {
            long y = 0;
            foreach (var (metric, sz) in dist)
                if (metric >= lo && metric < hi) y += sz;
            hist.Add(($"[{FormatMetric(lo, o.RawNumber, recency)}, {FormatMetric(hi, o.RawNumber, recency)})", DamoFormat.Sz(y, o.RawNumber), y));
        }
        return HistogramText(hist);
    }

    private static List<(double Lo, double Hi)> LinearRanges(double minV, double maxV, int nrRanges, bool cumulate)
    {
        double total = maxV + 1 - minV;
        double interval = Math.Max(Math.Ceiling(total / nrRanges), 1);
        var ranges = new List<(double, double)>();
        for (int i = 0; i < nrRanges; i++)
            ranges.Add((cumulate ? minV : minV + interval * i, minV + interval * (i + 1)));
        return ranges;
    }

    private static List<(double Lo, double Hi)> LogscaleRanges(double minV, double maxV, int nrRanges, bool cumulate)
    {
        double initial = Math.Max(Math.Truncate((maxV - minV) / Math.Pow(2, nrRanges)), 1);
        var ranges = new List<(double Lo, double Hi)> { (minV, minV + initial) };
        // Doubling reaches any finite maximum in about a thousand steps; an infinite one never.
        while (ranges[^1].Hi < maxV && double.IsFinite(ranges[^1].Hi))
        {
            var (lo, hi) = ranges[^1];
            ranges.Add((cumulate ? minV : hi, hi + (hi - lo) * 2));
        }
        return ranges;
    }

    private static string HistogramText(List<(string X, string Y, long Value)> hist)
    {
        long minY = hist.Min(h => h.Value), maxY = hist.Max(h => h.Value);
        int xWidth = hist.Max(h => h.X.Length), yWidth = hist.Max(h => h.Y.Length);
        long dotInterval = Math.Max((long)((double)(maxY - minY) / MaxDots), 1);
        var sb = new StringBuilder();
        for (int i = 0; i < hist.Count; i++)
        {
            var (x, y, value) = hist[i];
            int dots = (int)Math.Min(Math.Ceiling((double)(value - minY) / dotInterval), MaxDots);
            if (i > 0) sb.Append('\n');
            sb.Append(x.PadRight(xWidth)).Append(' ').Append(y.PadRight(yWidth)).Append(" |")
              .Append('*', dots).Append(' ', MaxDots - dots).Append('|');
        }
        return sb.ToString();
    }

    /// <summary>Python's repr of a list of numbers, e.g. "[0, 100, 100]".</summary>
    internal static string PyList(IReadOnlyList<double> values) =>
        "[" + string.Join(", ", values.Select(v => v == Math.Truncate(v) && Math.Abs(v) < 1e15 ? PyFormat.D(v) : PyFormat.Repr(v))) + "]";
}
