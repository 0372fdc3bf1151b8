using System.Text.Json.Nodes;

namespace Damon.Tests;

/// <summary>
/// What the shard/merge tests of the library and of the CLI share: a two-node machine small enough
/// for sub-second sweeps, and the tiering JSON with its host-timed fields blanked (the only fields
/// that differ between two identical runs). Linked into both test projects.
/// </summary>
internal static class TieringSweepJson
{
    /// <summary>The scenario file's <c>machine:</c> block: 8 MiB DRAM and 32 MiB CXL, indented for a top-level key.</summary>
    public const string TinyMachineYaml = """
        machine:
          nodes:
            - { id: 0, capacity: 8MiB, read_latency_ns: 90, bandwidth_gbps: 72, tier: 0 }
            - { id: 1, capacity: 32MiB, read_latency_ns: 220, bandwidth_gbps: 26, tier: 1 }
        """;

    public static string WithoutHostTimes(string json)
    {
        var doc = JsonNode.Parse(json)!;
        foreach (var r in doc["results"]!.AsArray())
        {
            r!["wall_s"] = 0;
            r["monitor_cpu_ms_per_sim_s"] = 0;
        }
        return doc.ToJsonString();
    }
}
