using System.Diagnostics;
using Xunit;

namespace Damon.Cli.Tests;

/// <summary>Shards of a sweep as separate <c>damon</c> processes, then <c>damon bench merge</c>.</summary>
public class BenchMergeCommandTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    private static async Task<(int ExitCode, string Out, string Err)> Damon(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "damon"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(Generous);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Shard_processes_merged_give_the_unsharded_json()
    {
        using var dir = new TempDir();
        string scenario = dir.File("tiny.yaml");
        File.WriteAllText(scenario, "name: tiny\n" + TieringSweepJson.TinyMachineYaml + """

            duration: 300ms
            workloads:
              - workload: gups
                params: { size: 6MiB, hot: 1MiB, duration: 1s }
                migrate: [{ at: 100ms, node: 1 }]
            policies: [first-touch, numab2, damon-tier]
            """);
        string[] common = ["bench", "tiering", "--scenario_file", scenario, "--seed", "3", "--quiet"];
        var runs = await Task.WhenAll(
            Damon([.. common, "--shard", "0/2", "--json", dir.File("s0.json")]),
            Damon([.. common, "--shard", "1/2", "--json", dir.File("s1.json")]),
            Damon([.. common, "--json", dir.File("whole.json")]));
        Assert.All(runs, r => Assert.Equal((0, ""), (r.ExitCode, r.Err)));

        var merge = await Damon("bench", "merge", dir.File("s1.json"), dir.File("s0.json"), "--json", dir.File("merged.json"));
        Assert.Equal((0, "", $"merged 2 shard files into {dir.File("merged.json")}\n"), (merge.ExitCode, merge.Err, merge.Out));
        Assert.Equal(TieringSweepJson.WithoutHostTimes(File.ReadAllText(dir.File("whole.json"))), TieringSweepJson.WithoutHostTimes(File.ReadAllText(dir.File("merged.json"))));

        var missing = await Damon("bench", "merge", dir.File("s0.json"), "--json", dir.File("m.json"));
        Assert.Equal((3, "damon: shard 1/2 missing (give every shard's file)\n"), (missing.ExitCode, missing.Err));
        var notShard = await Damon("bench", "merge", dir.File("whole.json"), "--json", dir.File("m.json"));
        Assert.Equal(3, notShard.ExitCode);
        Assert.StartsWith($"damon: {dir.File("whole.json")}: is not a shard file", notShard.Err);
        Assert.False(File.Exists(dir.File("m.json")));
    }
}
