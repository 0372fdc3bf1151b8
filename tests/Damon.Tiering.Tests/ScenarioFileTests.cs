using System.Text.Json.Nodes;
using Damon.Tiering.Harness;
using Xunit;

namespace Damon.Tiering.Tests;

public class ScenarioFileTests
{
    private static readonly string[] HostTimed = ["wall_s", "monitor_cpu_ms_per_sim_s"];

    private static JsonArray Rows(TieringScenario sc, ulong durationUs, IReadOnlyList<string> policies)
    {
        var report = new TieringBench(new TieringBenchOptions
        {
            Scenarios = [sc with { DurationUs = durationUs }],
            Policies = policies,
            Seed = 7,
        }).Run();
        var rows = report.ToJson()["results"]!.AsArray();
        foreach (var r in rows)
        {
            foreach (var k in HostTimed) r!.AsObject().Remove(k);
            // Code-defined scenarios declare no hot set; the files' workloads do (additive series).
            foreach (var n in r!["series"]!["nodes"]!.AsArray())
            {
                n!.AsObject().Remove("hot_bytes");
                n.AsObject().Remove("cold_bytes");
            }
        }
        return rows;
    }

    public static TheoryData<string> Builtins() => [.. ScenarioCatalog.BuiltinNames];

    [Theory]
    [MemberData(nameof(Builtins))]
    public void Each_builtin_file_gives_the_rows_of_the_code_defined_scenario(string name)
    {
        var code = ScenarioCatalog.All().Single(s => s.Name == name);
        var file = ScenarioCatalog.LoadBuiltin(name);
        Assert.Equal(code.Group, file.Group);
        Assert.Equal(code.Description, file.Description);
        Assert.Equal(code.DurationUs, file.DurationUs);
        Assert.Equal(code.PhaseChangesUs, file.PhaseChangesUs);
        string[] policies = ["first-touch", "numab2", "damon-tier", "oracle-static"];
        Assert.Equal(Rows(code, 1_200_000, policies).ToJsonString(), Rows(file, 1_200_000, policies).ToJsonString());
    }
}
