using System.Text;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>damo report heatmap</c>: picks the target and ranges (from options or the guide), builds a
/// <see cref="Heatmap"/> per address range and renders it for the terminal, as raw triples, or
/// as an SVG / PNG image.
/// </summary>
public static class HeatmapReport
{
    public sealed record Map((long Start, long End) AddrRange, Heatmap Heatmap);

    /// <summary>Builds the heatmaps for the options; <paramref name="forImage"/> selects the 500x500 default resolution.</summary>
    public static List<Map> Build(IReadOnlyList<DamonRecord> records, HeatmapOptions o, bool forImage)
    {
        int withIntervals = records.Count(r => r.Intervals is not null);
        if (withIntervals != 0 && withIntervals != records.Count)
            throw new ReportException("some records have intervals while some do not; cannot draw them on one scale", aboutRecord: true);
        if (records.All(r => r.Snapshots.Count == 0))
            throw new ReportException("the record has no snapshot to draw", aboutRecord: true);
        var resolution = o.Resolution ?? (forImage ? (500, 500) : (40, 80));

        var guides = HeatmapGuide.Build(records);
        var first = guides[0];
        int? kd = o.KdamondIdx ?? first.KdamondIdx, ctx = o.ContextIdx ?? first.ContextIdx, scheme = o.SchemeIdx ?? first.SchemeIdx;
        ulong? tid = o.TargetId ?? first.TargetId;
        var guide = guides.Find(g => g.KdamondIdx == kd && g.ContextIdx == ctx && g.SchemeIdx == scheme && g.TargetId == tid)
            ?? throw new ReportException("no recorded target matches --kdamond_idx/--context_idx/--scheme_idx/--tid", aboutRecord: true);
        (PyNum, PyNum) timeRange = o.TimeRangeNs is var (ts, te) ? (ts, te) : (guide.StartTimeNs, guide.EndTimeNs);
        IReadOnlyList<(long Start, long End)> addrRanges = o.AddressRanges ?? (o.DrawRange switch
        {
            "hottest" => [guide.ContigRegions.OrderByDescending(g => g.HeatPerByte).Select(g => (g.StartAddr, g.EndAddr)).First()],
            "all" => guide.ContigRegions.Select(g => (g.StartAddr, g.EndAddr)).ToList(),
            _ => throw new ReportException($"unknown draw range '{o.DrawRange}' (hottest or all)"),
        });
        var targetRecords = records.Where(guide.Matches).ToList();
        if (o.SortTemperature)
            targetRecords = SortByTemperature(targetRecords, addrRanges, o.TemperatureWeights);
        return addrRanges.Select(range => new Map(range, Heatmap.Build(targetRecords, timeRange, range, resolution, o.DfPassed))).ToList();
    }

    /// <summary>
    /// Re-lays each snapshot's regions inside every address range from coldest to hottest, so the
    /// map shows how much memory was how hot rather than where it was.
    /// </summary>
    private static List<DamonRecord> SortByTemperature(List<DamonRecord> records, IReadOnlyList<(long Start, long End)> ranges,
        (double Frequency, double Age) weights)
    {
        if (records.Any(r => r.Intervals is null))
            throw new ReportException("sorting by temperature needs records with monitoring intervals", aboutRecord: true);
        double[] w = [0, weights.Frequency, weights.Age];
        var sorted = records.ConvertAll(r => r.Clone());
        foreach (var record in sorted)
            foreach (var snapshot in record.Snapshots)
            {
                var laidOut = new List<DamonRegion>();
                foreach (var (start, end) in ranges)
                {
                    var inRange = new List<DamonRegion>();
                    foreach (var region in snapshot.Regions)
                    {
                        if (end < region.Start || region.End < start) continue;
                        var clipped = region.Clone();
                        clipped.Start = Math.Max(clipped.Start, start);
                        clipped.End = Math.Min(clipped.End, end);
                        clipped.Resolve(record.Intervals);
                        inRange.Add(clipped);
                    }
                    long next = start;
                    foreach (var region in inRange.OrderBy(r => AccessMetrics.Temperature(r, w)))
                    {
                        long sz = region.Sz;
                        region.Start = next;
                        region.End = next + sz;
                        next = region.End;
                        laidOut.Add(region);
                    }
                }
                snapshot.Regions = laidOut;
            }
        return sorted;
    }

    public static string RenderTerminal(IReadOnlyList<DamonRecord> records, HeatmapOptions o)
    {
        if (!AsciiColor.IsColorset(o.Colorset))
            throw new ReportException($"unknown colorset '{o.Colorset}' (gray, flame or emotion)");
        var sb = new StringBuilder();
        foreach (var map in Build(records, o, forImage: false))
            sb.Append(map.Heatmap.ToTerminalText(o.Colorset, !o.SkipColorsetExample)).Append('\n');
        return sb.ToString();
    }

    public static string RenderRaw(IReadOnlyList<DamonRecord> records, HeatmapOptions o)
    {
        var sb = new StringBuilder();
        foreach (var map in Build(records, o, forImage: true))
            sb.Append(map.Heatmap.ToRawText(o.AbsTime, o.AbsAddr)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// Writes one image per address range: <c>file.png</c>, then <c>file.1.png</c>, ... like damo.
    /// Returns the paths written. Supported extensions: .png and .svg.
    /// </summary>
    public static List<string> WriteImages(IReadOnlyList<DamonRecord> records, HeatmapOptions o, string outputPath)
    {
        string ext = Path.GetExtension(outputPath).ToLowerInvariant();
        if (ext is not (".png" or ".svg"))
            throw new ReportException($"unsupported heatmap output '{outputPath}': use a .png or .svg file, 'stdout' or 'raw'");
        var written = new List<string>();
        var maps = Build(records, o, forImage: true);
        for (int i = 0; i < maps.Count; i++)
        {
            string path = i == 0 ? outputPath : Path.ChangeExtension(outputPath, null) + "." + i + ext;
            var image = new HeatmapImage(maps[i].Heatmap, o.AbsTime, o.AbsAddr, sizeAxis: o.SortTemperature);
            if (ext == ".png") image.WritePng(path);
            else image.WriteSvg(path);
            written.Add(path);
        }
        return written;
    }
}
