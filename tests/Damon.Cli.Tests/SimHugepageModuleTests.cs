using Xunit;

namespace Damon.Cli.Tests;

/// <summary><c>damon sim --module damon_hugepage</c>: the THP module on the workload's process.</summary>
public class SimHugepageModuleTests
{
    private static readonly string[] Run =
        ["sim", "--workload", "gups:size=64MiB,hot=8MiB", "--duration", "2", "--snapshot_every", "10", "--module", "damon_hugepage"];

    [Fact]
    public async Task It_collapses_the_gups_process_and_prints_its_stats()
    {
        var r = await DamonCli.Run([.. Run, "--module_param", "enabled=Y", "--module_param", "target_pid=1",
            "--module_param", "hot_thres_access_freq=100", "--module_param", "cold_min_age=1000000"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        string output = r.Out.ReplaceLineEndings("\n");
        int start = output.IndexOf("damon_hugepage stats:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        string stats = output[start..output.IndexOf("\n\n", start, StringComparison.Ordinal)];
        // 23 of the 32 THP blocks collapsed (48234496 = 23 × 2 MiB) and none split back: every
        // gups page is written at start (populate), so no THP is underused; hugepage_mem_bp is
        // 23 × 2 MiB of the 64 MiB in use (total − free). Since the TLB loses its entries at
        // context switches (every 3 ms), the hot regions' accessed bits are set again after DAMON
        // clears them, so the collapse scheme tries (and applies to) more regions over the 2 s
        // (23, 128 MiB cumulative, was 11 before the flushes); the cold scheme's one tried region
        // (4 MiB) is no longer applied. The THP total and hugepage_mem_bp did not move.
        Assert.Equal("""
            damon_hugepage stats:
              nr_collapse_tried_regions    23
              bytes_collapse_tried_regions 134217728
              nr_collapsed_regions         23
              bytes_collapsed_regions      134217728
              nr_collapse_quota_exceeds    1
              nr_cold_tried_regions        1
              bytes_cold_tried_regions     4186112
              nr_cold_regions              0
              bytes_cold_regions           0
              nr_cold_quota_exceeds        0
              anon_huge_bytes              48234496
              thp_bloat_bytes              0
              hugepage_mem_bp              7187
            """, stats);
        Assert.Contains("DAMON damon_hugepage (vaddr)", output);
    }

    [Fact]
    public async Task A_commit_file_is_checked_before_the_run_as_a_start_is()
    {
        using var dir = new TempDir();
        string file = dir.File("retarget.yaml");
        File.WriteAllText(file, "target_pid: 7\n");
        var r = await DamonCli.Run([.. Run, "--module_param", "target_pid=1", "--module_commit", "1:" + file]);
        Assert.Equal((4, $"damon: {file}: damon_hugepage: target_pid 7 is not a process of the workload (its pids: 1)\n", ""),
            (r.ExitCode, r.Err.ReplaceLineEndings("\n"), r.Out));
    }

    [Theory]
    [InlineData(new[] { "--module_param", "target_pid=7" }, 4, "damon: damon_hugepage: target_pid 7 is not a process of the workload (its pids: 1); give --module_param target_pid=PID\n")]
    [InlineData(new[] { "--module_param", "target_pid=1", "--module_param", "hugepage_mem_bp=20000" }, 2, "damon: --module_param: hugepage_mem_bp: is in basis points, at most 10000 (is 20000)\n")]
    [InlineData(new[] { "--module_param", "target_pid=1", "--module_param", "goal_tuner=2" }, 2, "damon: --module_param: goal_tuner: must be 0 (consist) or 1 (temporal) (is 2)\n")]
    [InlineData(new string[0], 2, "damon: --module_param: target_pid: must name a process (is 0)\n")]
    public async Task Bad_parameters_are_one_line_naming_the_parameter(string[] args, int exitCode, string err)
    {
        var r = await DamonCli.Run([.. Run, .. args]);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Equal(err, r.Err.ReplaceLineEndings("\n"));
        Assert.Equal("", r.Out);
    }
}
