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
        row["migrated_bytes"] = new JsonArray(a.MigratedBytes.Select(src => (JsonNode)new JsonArray(src.Select(b => (JsonNode)b).ToArray())).ToArray());
        return row;
    }
}
