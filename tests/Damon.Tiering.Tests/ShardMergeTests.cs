using System.Text.Json.Nodes;
using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;
using Damon.Tiering.Sweep;
using Xunit;

namespace Damon.Tiering.Tests;

public class ShardMergeTests
{
    private static readonly string[] Policies = ["first-touch", "numab2", "damon-tier", "oracle-static"];

    private static TieringScenario Tiny(string name, string gups) => ScenarioFile.Parse($"name: {name}\n" + TieringSweepJson.TinyMachineYaml + $$"""

        duration: 400ms
        phases: [0s, 200ms]
        workloads:
          - workload: gups
            params: { {{gups}}, duration: 1s }
            migrate: [{ at: 200ms, node: 1 }]
        """, name + ".yaml", ".");

    private static readonly TieringScenario[] Scenarios = [Tiny("a", "size: 6MiB, hot: 1MiB"), Tiny("b", "size: 12MiB, hot: 2MiB, pattern: prob")];

    private static TieringReport Run(TieringShard shard) =>
        new TieringBench(new TieringBenchOptions { Scenarios = Scenarios, Policies = Policies, Seed = 5, Shard = shard }).Run();

    [Fact]
    public void Three_shards_merged_equal_one_unsharded_run()
    {
        var shards = Enumerable.Range(0, 3).Select(i => Run(new TieringShard(i, 3))).ToList();
        // 2 scenarios × 4 policies = units 0..7; unit k to shard k mod 3.
        Assert.Equal([("a", "first-touch"), ("a", "oracle-static"), ("b", "damon-tier")], shards[0].Results.Select(r => (r.Scenario, r.Policy)));
        Assert.Equal([("a", "numab2"), ("b", "first-touch"), ("b", "oracle-static")], shards[1].Results.Select(r => (r.Scenario, r.Policy)));
        Assert.Equal([("a", "damon-tier"), ("b", "numab2")], shards[2].Results.Select(r => (r.Scenario, r.Policy)));
        // Given in any order, the merge restores the unsharded order.
        string merged = TieringMerge.MergeText([("s2", shards[2].ToJsonText()), ("s0", shards[0].ToJsonText()), ("s1", shards[1].ToJsonText())]);
        Assert.Equal(TieringSweepJson.WithoutHostTimes(Run(TieringShard.Whole).ToJsonText()), TieringSweepJson.WithoutHostTimes(merged));
    }

    private static string Doc(int index, int count, string schema = TieringReport.Schema, params (string Scenario, string Policy)[] rows) =>
        new JsonObject
        {
            ["schema"] = schema,
            ["seed"] = 1,
            ["scenarios"] = new JsonArray(new JsonObject { ["name"] = "a", ["all_fast_ns_per_access"] = 1.0 }),
            ["results"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["scenario"] = r.Scenario, ["policy"] = r.Policy }).ToArray()),
            ["shard"] = new JsonObject { ["index"] = index, ["count"] = count, ["policies"] = new JsonArray("p", "q") },
        }.ToJsonString();

    [Fact]
    public void Mixed_schemas_overlapping_rows_and_missing_shards_are_refused()
    {
        var mixed = Assert.Throws<TieringMergeException>(() => TieringMerge.Merge([("x", Doc(0, 2, rows: ("a", "p"))), ("y", Doc(1, 2, "damon-tiering-bench/2", ("a", "q")))]));
        Assert.Equal("y: schema 'damon-tiering-bench/2' differs from x's 'damon-tiering-bench/1'", mixed.Message);
        var overlap = Assert.Throws<TieringMergeException>(() => TieringMerge.Merge([("x", Doc(0, 2, rows: ("a", "p"))), ("y", Doc(1, 2, rows: ("a", "p")))]));
        Assert.Equal("y: row (a, p) is also in x", overlap.Message);
        var twice = Assert.Throws<TieringMergeException>(() => TieringMerge.Merge([("x", Doc(0, 2, rows: ("a", "p"))), ("y", Doc(0, 2))]));
        Assert.Equal("y: shard 0/2 is also in x", twice.Message);
        var missing = Assert.Throws<TieringMergeException>(() => TieringMerge.Merge([("x", Doc(0, 2, rows: ("a", "p")))]));
        Assert.Equal("shard 1/2 missing (give every shard's file)", missing.Message);
        var notJson = Assert.Throws<TieringMergeException>(() => TieringMerge.Merge([("x", "{")]));
        Assert.StartsWith("x: not valid JSON", notJson.Message);
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    public void A_shard_is_I_of_N_from_0(string text, int index, int count) =>
        Assert.Equal(new TieringShard(index, count), TieringShard.Parse(text));

    [Theory]
    [InlineData("4/4", "--shard: 4/4: the index I must be in 0..3 (shards are numbered from 0)")]
    [InlineData("0/0", "--shard: 0/0: the shard count N must be at least 1")]
    [InlineData("1", "--shard: '1' is not I/N (e.g. 0/4: the first of four shards)")]
    [InlineData("-1/2", "--shard: '-1/2' is not I/N (e.g. 0/4: the first of four shards)")]
    public void A_bad_shard_says_the_rule(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => TieringShard.Parse(text)).Message);
}
