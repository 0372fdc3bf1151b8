using System.Text;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// The one-line temperature heatmap over a snapshot's address space that heads
/// <c>report access</c>'s detailed style: each column averages region temperature weighted by
/// overlapping bytes. Unmonitored gaps are skipped and shown as "[...]" (or dots when short or
/// when drawing the address space to scale).
/// </summary>
public static class SnapshotHeatmapLine
{
    private sealed class Pixel
    {
        public double Start;
        public double End;
        public double Temperature;
        public bool IsVoid = true;
    }

    public static string Render(IReadOnlyList<DamonRegion> regions, AccessReportOptions o)
    {
        if (regions.Count == 0) return "n/a (no region)";
        if (o.SnapshotHeatmapWidth is <= 0 or > AccessReportOptions.MaxSnapshotHeatmapWidth)
            throw new ReportException($"snapshot heatmap width {o.SnapshotHeatmapWidth} is not 1-{AccessReportOptions.MaxSnapshotHeatmapWidth}");
        bool raw = o.RawNumber;
        double totalSz;
        if (o.SnapshotHeatmapStatic)
            totalSz = regions[^1].End - regions[0].Start;
        else
        {
            long sum = 0;
            foreach (var r in regions) sum += r.Sz;
            totalSz = sum;
        }
        double szUnit = totalSz / o.SnapshotHeatmapWidth;

        // Regions in address order (DAMON keeps them so) let each column start at the first region
        // still ending after it and a gap jump find the next region by binary search: linear in the
        // regions instead of columns x regions. Any other order takes damo's full scans.
        bool sorted = true;
        for (int i = 0; i < regions.Count && sorted; i++)
            sorted = regions[i].Start <= regions[i].End && (i + 1 == regions.Count || regions[i].End <= regions[i + 1].Start);
        int from = 0;

        var pixels = new List<Pixel>();
        double? minTemp = null, maxTemp = null;
        double start = regions[0].Start;
        while (start < regions[^1].End)
        {
            double end = start + szUnit;
            // Far above 2^53 a column can be below a double's step and damo's walk stops moving
            // (it loops forever); the picture ends there instead.
            if (!(end > start)) break;
            if (sorted)
                while (from < regions.Count && regions[from].End <= start) from++;
            var pixel = MakePixel(start, end, regions, sorted ? from : 0, o.TemperatureWeights);
            pixels.Add(pixel);
            if (pixel.IsVoid)
            {
                var next = sorted ? FirstStartingAfter(regions, end) : regions.FirstOrDefault(r => r.Start > end);
                if (next is null) break;
                double nextStart = PyFormat.FloorDiv(next.Start, szUnit) * szUnit;
                if (!(nextStart > start)) break;
                start = nextStart;
                pixel.End = start;
            }
            else
            {
                if (minTemp is null || pixel.Temperature < minTemp) minTemp = pixel.Temperature;
                if (maxTemp is null || pixel.Temperature > maxTemp) maxTemp = pixel.Temperature;
                start = end;
            }
        }
        double min = minTemp ?? 0, max = maxTemp ?? 0;

        double unit = (max - min) / AsciiColor.MaxLevel;
        if (unit == 0) unit = max / AsciiColor.MaxLevel;
        if (unit == 0) unit = 1;
        var dots = new StringBuilder();
        foreach (var pixel in pixels)
        {
            if (pixel.IsVoid)
            {
                double nrDots = (pixel.End - pixel.Start) / szUnit;
                if (!o.SnapshotHeatmapStatic && nrDots > 4) dots.Append("[...]");
                else dots.Append('.', (int)nrDots);
                continue;
            }
            int level = (int)((pixel.Temperature - min) / unit);
            dots.Append(AsciiColor.Colored(level.ToString(System.Globalization.CultureInfo.InvariantCulture), o.SnapshotHeatmapColorset, level));
        }
        return dots + "\n# min/max temperatures: " + DamoFormat.Nr(min, raw) + ", " + DamoFormat.Nr(max, raw)
            + ", column size: " + DamoFormat.Sz(szUnit, raw);
    }

    private static DamonRegion? FirstStartingAfter(IReadOnlyList<DamonRegion> regions, double addr)
    {
        int lo = 0, hi = regions.Count;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (regions[mid].Start > addr) hi = mid;
            else lo = mid + 1;
        }
        return lo < regions.Count ? regions[lo] : null;
    }

    private static Pixel MakePixel(double start, double end, IReadOnlyList<DamonRegion> regions, int from, IReadOnlyList<double> weights)
    {
        var pixel = new Pixel { Start = start, End = end };
        double totalHeat = 0;
        for (int i = from; i < regions.Count; i++)
        {
            var region = regions[i];
            if (region.End <= start) continue;
            if (end <= region.Start) break;
            pixel.IsVoid = false;
            double clippedStart = Math.Max(region.Start, start);
            double clippedEnd = Math.Min(region.End, end);
            // A region inside the pixel keeps its integer size; a clipped one gets the fractional overlap.
            double sz = start <= region.Start && region.End <= end ? region.Sz : clippedEnd - clippedStart;
            totalHeat += AccessMetrics.Temperature(sz, region, weights) * sz;
        }
        pixel.Temperature = totalHeat / (end - start);
        return pixel;
    }
}
