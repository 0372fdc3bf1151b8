using Damon.Tests;

namespace Damon.Cli.Tests;

/// <summary>
/// The embedded default machine (two tiers, 32 + 64 GiB, 90/220 ns) with the LLC and TLB model off,
/// for CLI tests whose expectations are the flat model's: every access sets the accessed bit. With
/// the TLB model a hot set within the TLB's 12 MiB reach hides from DAMON after its first mkold
/// (docs/simulator.md, "Caches and TLBs"), which is not what these tests are about.
/// </summary>
internal static class FlatMachine
{
    public static string File(TempDir dir)
    {
        var path = dir.File("flat.json");
        System.IO.File.WriteAllText(path, """
            { "name": "two-tier", "caches": "off",
              "nodes": [ { "capacity": "32GiB", "read_latency_ns": 90, "bandwidth_gbps": 72, "tier": 0 },
                         { "capacity": "64GiB", "read_latency_ns": 220, "bandwidth_gbps": 26, "tier": 1 } ] }
            """);
        return path;
    }
}
