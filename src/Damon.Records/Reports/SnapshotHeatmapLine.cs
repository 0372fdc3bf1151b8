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

        var pixels = new List<Pixel>();
        double? minTemp = null, maxTemp = null;
        double start = regions[0].Start;
        while (start < regions[^1].End)
        {
            double end = start + szUnit;
            // Far above 2^53 a column can be below a double's step and damo's walk stops moving
            // (it loops forever); the picture ends there instead.
            if (!(end > start)) break;
            var pixel = MakePixel(start, end, regions, o.TemperatureWeights);
            pixels.Add(pixel);
            if (pixel.IsVoid)
            {
                var next = regions.FirstOrDefault(r => r.Start > end);
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

    private static Pixel MakePixel(double start, double end, IReadOnlyList<DamonRegion> regions, IReadOnlyList<double> weights)
    {
        var pixel = new Pixel { Start = start, End = end };
        double totalHeat = 0;
        foreach (var region in regions)
        {
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
