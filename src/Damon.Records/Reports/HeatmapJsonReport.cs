using System.Text.Json.Nodes;
using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Text;

namespace Damon.Records.Reports;

/// <summary>
/// <c>report heatmap --json</c>: the grids the terminal map draws (same ranges and resolution),
/// with absolute axes, and <c>--guide --json</c>: the guide's targets, time spans and ranges.
/// Unobserved pixels are null.
/// </summary>
public static class HeatmapJsonReport
{
    public static string Render(IReadOnlyList<DamonRecord> records, HeatmapOptions o) => Render(RecordSource.Of(records), o);

    public static string Render(RecordSource records, HeatmapOptions o)
    {
        var maps = new JsonArray();
        foreach (var map in HeatmapReport.Build(records, o, forImage: false))
            maps.Add(Map(map.Heatmap));
        return DistributionJson.Write(new JsonObject { ["maps"] = maps });
    }

    private static JsonObject Map(Heatmap h)
    {
        var rows = new JsonArray();
        for (int i = 0; i < h.TimeResolution; i++) rows.Add(h.PixelTimeNs(i));
        var columns = new JsonArray();
        for (int j = 0; j < h.AddrResolution; j++) columns.Add(h.PixelAddr(j));
        var heats = new JsonArray();
        for (int i = 0; i < h.TimeResolution; i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < h.AddrResolution; j++)
                row.Add(double.IsNaN(h.Heats[i, j]) ? null : JsonValue.Create(h.Heats[i, j]));
            heats.Add(row);
        }
        var extremes = h.HighestLowest();
        return new JsonObject
        {
            ["heat_unit"] = h.HeatUnit,
            ["time"] = new JsonObject
            {
                ["start_ns"] = Num(h.TimeStartNs),
                ["end_ns"] = Num(h.TimeStartNs + h.TimeUnitNs * h.TimeResolution),
                ["unit_ns"] = Num(h.TimeUnitNs),
                ["resolution"] = h.TimeResolution,
            },
            ["address"] = new JsonObject
            {
                ["start"] = h.AddrStart,
                ["end"] = h.AddrStart + h.AddrUnit * h.AddrResolution,
                ["unit"] = h.AddrUnit,
                ["resolution"] = h.AddrResolution,
            },
            ["lowest"] = extremes is var (_, lo) ? JsonValue.Create(lo) : null,
            ["highest"] = extremes is var (hi, _) ? JsonValue.Create(hi) : null,
            ["row_time_ns"] = rows,
            ["column_addr"] = columns,
            ["heats"] = heats,
        };
    }

    public static string RenderGuide(IReadOnlyList<DamonRecord> records) => RenderGuide(RecordSource.Of(records));

    public static string RenderGuide(RecordSource records)
    {
        var guides = new JsonArray();
        foreach (var g in HeatmapGuide.Build(records))
        {
            var regions = new JsonArray();
            foreach (var r in g.ContigRegions)
                regions.Add(new JsonObject { ["start"] = r.StartAddr, ["end"] = r.EndAddr, ["heats"] = r.Heats });
            guides.Add(new JsonObject
            {
                ["kdamond_idx"] = g.KdamondIdx,
                ["context_idx"] = g.ContextIdx,
                ["scheme_idx"] = g.SchemeIdx,
                ["target_id"] = g.TargetId,
                ["start_time_ns"] = Num(g.StartTimeNs),
                ["end_time_ns"] = g.EndTimeNs,
                ["regions"] = regions,
            });
        }
        return DistributionJson.Write(new JsonObject { ["guides"] = guides });
    }

    private static JsonNode Num(PyNum n) => n.IsFloat ? JsonValue.Create(n.AsDouble) : JsonValue.Create(n.Truncate());
}
