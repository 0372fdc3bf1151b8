using System.Text;
using Damon.Records.IO;
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
    public static List<Map> Build(IReadOnlyList<DamonRecord> records, HeatmapOptions o, bool forImage) =>
        Build(RecordSource.Of(records), o, forImage);

    /// <summary>
    /// Builds the heatmaps in two passes over the records, keeping the guides, the headers and the
    /// grids: the first finds the targets' spans and ranges (damo's defaults), the second draws.
    /// The hottest range is known only after the second pass has summed the heats, so that pass
    /// draws every candidate range at once and keeps the hottest, unless their grids together
    /// would pass <see cref="Heatmap.MaxPixels"/> or temperature sorting lays regions out by the
    /// chosen range: then a third pass draws it.
    /// </summary>
    public static List<Map> Build(RecordSource source, HeatmapOptions o, bool forImage)
    {
        var spans = HeatmapGuide.ReadSpansOrWhole(ref source);
        var headers = spans.Headers;
        int withIntervals = headers.Count(r => r.Intervals is not null);
        if (withIntervals != 0 && withIntervals != headers.Count)
            throw new ReportException("some records have intervals while some do not; cannot draw them on one scale", aboutRecord: true);
        if (spans.Guides.Count == 0)
            throw new ReportException("the record has no snapshot to draw", aboutRecord: true);
        var resolution = o.Resolution ?? (forImage ? (500, 500) : (40, 80));

        var guides = spans.Ordered();
        var first = guides[0];
        int? kd = o.KdamondIdx ?? first.KdamondIdx, ctx = o.ContextIdx ?? first.ContextIdx, scheme = o.SchemeIdx ?? first.SchemeIdx;
        ulong? tid = o.TargetId ?? first.TargetId;
        var guide = guides.Find(g => g.KdamondIdx == kd && g.ContextIdx == ctx && g.SchemeIdx == scheme && g.TargetId == tid)
            ?? throw new ReportException("no recorded target matches --kdamond_idx/--context_idx/--scheme_idx/--tid", aboutRecord: true);
        (PyNum, PyNum) timeRange = o.TimeRangeNs is var (ts, te) ? (ts, te) : (guide.StartTimeNs, guide.EndTimeNs);
        var isTarget = headers.ConvertAll(guide.Matches);
        string heatUnit = headers.Where(guide.Matches).Any(r => r.Intervals is not null) ? "hz" : "samples";
        var contig = guide.ContigRegions.Select(g => (g.StartAddr, g.EndAddr)).ToList();
        bool hottest = o.AddressRanges is null && o.DrawRange == "hottest";
        if (o.AddressRanges is null && !hottest && o.DrawRange != "all")
            throw new ReportException($"unknown draw range '{o.DrawRange}' (hottest or all)");
        if (hottest && !o.SortTemperature && (long)contig.Count * resolution.Time * resolution.Addr <= Heatmap.MaxPixels)
        {
            // Every candidate is drawn while the heats are summed; a candidate too small for the
            // resolution fails only if it is the one chosen.
            var candidates = contig.ConvertAll(range => TryCreate(timeRange, range, resolution, heatUnit));
            Draw(source, o, isTarget, headers, guide, null, candidates.ConvertAll(c => c.Map));
            int chosen = Hottest(guide);
            return [new Map(contig[chosen], candidates[chosen].Map ?? throw candidates[chosen].Error!)];
        }
        IReadOnlyList<(long Start, long End)> addrRanges;
        if (hottest)
        {
            Draw(source, o, isTarget, headers, guide, null, []);
            addrRanges = [contig[Hottest(guide)]];
        }
        else addrRanges = o.AddressRanges ?? contig;
        if (o.SortTemperature && headers.Where(guide.Matches).Any(r => r.Intervals is null))
            throw new ReportException("sorting by temperature needs records with monitoring intervals", aboutRecord: true);
        var maps = addrRanges.Select(range => Heatmap.Create(timeRange, range, resolution, heatUnit)).ToList();
        Draw(source, o, isTarget, headers, null, o.SortTemperature ? addrRanges : null, maps);
        return [.. addrRanges.Select((range, i) => new Map(range, maps[i]))];
    }

    private static (Heatmap? Map, ReportException? Error) TryCreate((PyNum, PyNum) timeRange, (long, long) range, (int, int) resolution, string heatUnit)
    {
        try
        {
            return (Heatmap.Create(timeRange, range, resolution, heatUnit), null);
        }
        catch (ReportException e)
        {
            return (null, e);
        }
    }

    /// <summary>The first of the hottest ranges per byte, as damo's sort picks it.</summary>
    private static int Hottest(HeatmapGuide guide)
    {
        int best = 0;
        for (int i = 1; i < guide.ContigRegions.Count; i++)
            if (guide.ContigRegions[i].HeatPerByte > guide.ContigRegions[best].HeatPerByte) best = i;
        return best;
    }

    /// <summary>
    /// One pass over the target's snapshots: their heats into <paramref name="heatsOf"/>'s ranges
    /// when given, and each (laid out by temperature in <paramref name="sortRanges"/> when given)
    /// into every map.
    /// </summary>
    private static void Draw(RecordSource source, HeatmapOptions o, List<bool> isTarget, List<DamonRecord> headers, HeatmapGuide? heatsOf,
        IReadOnlyList<(long Start, long End)>? sortRanges, IReadOnlyList<Heatmap?> maps)
    {
        double[] w = [0, o.TemperatureWeights.Frequency, o.TemperatureWeights.Age];
        foreach (var e in source.Events())
        {
            if (e.Kind != RecordEventKind.Snapshot || !isTarget[e.RecordIndex]) continue;
            var intervals = headers[e.RecordIndex].Intervals;
            var snapshot = e.Snapshot!;
            heatsOf?.AddHeats(snapshot);
            if (sortRanges is not null) snapshot = ByTemperature(snapshot, intervals, sortRanges, w);
            foreach (var map in maps) map?.Add(snapshot, intervals, o.DfPassed);
        }
    }

    /// <summary>
    /// Re-lays a snapshot's regions inside every address range from coldest to hottest, so the
    /// map shows how much memory was how hot rather than where it was.
    /// </summary>
    private static DamonSnapshot ByTemperature(DamonSnapshot snapshot, DamonIntervals? intervals, IReadOnlyList<(long Start, long End)> ranges,
        double[] w)
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
                clipped.Resolve(intervals);
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
        var sorted = snapshot.Clone();
        sorted.Regions = laidOut;
        return sorted;
    }

    public static string RenderTerminal(IReadOnlyList<DamonRecord> records, HeatmapOptions o) => RenderTerminal(RecordSource.Of(records), o);

    public static string RenderTerminal(RecordSource records, HeatmapOptions o)
    {
        if (!AsciiColor.IsColorset(o.Colorset))
            throw new ReportException($"unknown colorset '{o.Colorset}' (gray, flame or emotion)");
        var sb = new StringBuilder();
        foreach (var map in Build(records, o, forImage: false))
            sb.Append(map.Heatmap.ToTerminalText(o.Colorset, !o.SkipColorsetExample)).Append('\n');
        return sb.ToString();
    }

    public static string RenderRaw(IReadOnlyList<DamonRecord> records, HeatmapOptions o) => RenderRaw(RecordSource.Of(records), o);

    public static string RenderRaw(RecordSource records, HeatmapOptions o)
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
    public static List<string> WriteImages(IReadOnlyList<DamonRecord> records, HeatmapOptions o, string outputPath) =>
        WriteImages(RecordSource.Of(records), o, outputPath);

    public static List<string> WriteImages(RecordSource records, HeatmapOptions o, string outputPath)
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
