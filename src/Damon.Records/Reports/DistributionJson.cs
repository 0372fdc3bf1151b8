using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Damon.Records.Reports;

/// <summary>The <c>--json</c> form of the percentile reports (wss, nr_regions): raw numbers, no bars.</summary>
public static class DistributionJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One target: <c>{target_id, nr_snapshots, avr, percentiles: [{percentile, METRIC}]}</c> (or <c>values</c> with <paramref name="all"/>).</summary>
    public static JsonObject Target(string targetId, string metric, List<long> dist, List<int> percentiles, bool all = false)
    {
        var o = new JsonObject
        {
            ["target_id"] = targetId,
            ["nr_snapshots"] = dist.Count,
            ["avr"] = dist.Count == 0 ? null : JsonValue.Create(dist.Sum(v => (double)v) / dist.Count),
        };
        if (all)
        {
            o["values"] = new JsonArray([.. dist.Select(v => (JsonNode?)JsonValue.Create(v))]);
            return o;
        }
        var rows = new JsonArray();
        if (dist.Count > 0)
            foreach (var p in percentiles)
            {
                int idx = Distribution.Index(dist.Count, p);
                if (idx < 0 || idx >= dist.Count) throw new ReportException($"percentile {p} is outside 0-100");
                rows.Add(new JsonObject { ["percentile"] = p, [metric] = dist[idx] });
            }
        o["percentiles"] = rows;
        return o;
    }

    public static string Document(string metric, JsonArray targets) =>
        new JsonObject { ["metric"] = metric, ["targets"] = targets }.ToJsonString(Indented) + "\n";

    public static string Write(JsonNode node) => node.ToJsonString(Indented) + "\n";
}
