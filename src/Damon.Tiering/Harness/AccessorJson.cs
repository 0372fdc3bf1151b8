using System.Text.Json.Nodes;

namespace Damon.Tiering.Harness;

/// <summary>The accessor results' keys of a "results" entry (docs/numa-tpp.md, "Results"); nothing is added without them.</summary>
public static class AccessorJson
{
    public static JsonObject AddTo(AccessorResult? a, JsonObject row)
    {
        if (a is null) return row;
        row["remote_access_ratio"] = a.RemoteAccessRatio;
        row["remote_access_ratio_settled"] = a.RemoteAccessRatioSettled;
        row["bytes_on_accessor_node_ratio"] = a.BytesOnAccessorNodeRatio;
        row["accessor_regions"] = new JsonArray(a.Regions.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["socket"] = r.Socket,
            ["node"] = r.Node,
            ["bytes"] = r.Bytes,
            ["bytes_on_accessor_node"] = r.BytesOnAccessorNode,
            ["bytes_on_accessor_node_ratio"] = r.Ratio,
        }).ToArray());
        row["socket_ping_pong_pages"] = a.SocketPingPongPages;
        row["socket_migrated_bytes"] = a.SocketMigratedBytes;
        row["migrated_bytes"] = Matrix(a.MigratedBytes);
        row["socket_ping_pong_by"] = new JsonObject(a.SocketPingPongBy.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        row["demoted_promoted_pages"] = a.DemotedPromotedPages;
        row["migrated_bytes_by"] = new JsonObject(a.MigratedBytesBy.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Matrix(kv.Value))));
        return row;
    }

    private static JsonArray Matrix(ulong[][] bytes) =>
        new(bytes.Select(src => (JsonNode)new JsonArray(src.Select(b => (JsonNode)b).ToArray())).ToArray());
}
