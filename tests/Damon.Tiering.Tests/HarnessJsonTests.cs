using System.Text.Json;
using Damon.Tiering.Harness;
using Xunit;

namespace Damon.Tiering.Tests;

public class HarnessJsonTests
{
    private static readonly string[] ResultKeys =
    [
        "scenario", "policy", "normalized_runtime", "ns_per_access", "nr_accesses", "slow_tier_access_ratio",
        "bytes_promoted", "bytes_demoted", "ping_pong_pages", "converge_ms", "monitor_cpu_ms_per_sim_s",
        "background_ms_per_sim_s", "simulated_s", "wall_s", "fast_hit_ratio", "series",
    ];

    [Fact]
    public void A_tiny_run_writes_every_field_of_the_schema()
    {
        var sc = new TieringScenario("tiny", "tiny", "600 pages read p + 1 times", TinyMachine.Spec(2 * TinyMachine.MiB),
            () => new TinyMachine.CountedTrace(600), 300_000, [0]);
        var report = new TieringBench(new TieringBenchOptions
        {
            Scenarios = [sc],
            Policies = ["first-touch", "numab2", "oracle-static"],
            Seed = 3,
        }).Run();
        using var doc = JsonDocument.Parse(report.ToJsonText());
        var root = doc.RootElement;
        Assert.Equal(TieringReport.Schema, root.GetProperty("schema").GetString());
        Assert.Equal(3UL, root.GetProperty("seed").GetUInt64());
        var s = Assert.Single(root.GetProperty("scenarios").EnumerateArray());
        Assert.Equal("tiny", s.GetProperty("name").GetString());
        Assert.True(s.GetProperty("all_fast_ns_per_access").GetDouble() > 0);
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["first-touch", "numab2", "oracle-static"], results.Select(r => r.GetProperty("policy").GetString()));
        foreach (var r in results)
        {
            Assert.Equal(ResultKeys.Order(), r.EnumerateObject().Select(p => p.Name).Order());
            Assert.True(r.GetProperty("nr_accesses").GetUInt64() > 0);
            Assert.InRange(r.GetProperty("slow_tier_access_ratio").GetDouble(), 0, 1);
            Assert.True(r.GetProperty("normalized_runtime").GetDouble() >= 0.99);
            foreach (var point in r.GetProperty("fast_hit_ratio").EnumerateArray())
            {
                Assert.Equal(2, point.GetArrayLength());
                Assert.InRange(point[1].GetDouble(), 0, 1);
            }
        }
        // Page p is accessed p + 1 times and the 2 MiB fast node holds 512 of 600 pages. First touch
        // leaves the 88 hottest pages on the slow node (27 % of accesses); the static oracle moves
        // them up once populated, leaving about the 88 coldest pages' share (2.2 %) there.
        Assert.True(results[0].GetProperty("slow_tier_access_ratio").GetDouble() > 0.2);
        Assert.True(results[2].GetProperty("slow_tier_access_ratio").GetDouble() < 0.05);
    }
}
