using Damon.Config.Args;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

/// <summary>
/// The writes damo 3.3 makes for a config (tools/damo-goldens, run against damo's own source) and
/// the writes KdamondsSysfsWriter + `on` make for the same damo options on a fake tree of the same
/// kernel level, compared exactly, path and value.
/// </summary>
public class DamoGoldenTests
{
    private static readonly string[] Mixed =
    [
        "--ops", "vaddr", "--target_pid", "123",
        "--damos_action", "pageout", "--damos_access_rate", "0%", "0%", "--damos_age", "5s", "max",
        "--damos_filter", "reject", "none", "anon", "--damos_filter", "allow", "memcg", "/workload",
        "--damos_action", "stat", "--damos_filter", "reject", "addr", "4096", "1048576", "--damos_filter", "allow", "anon",
        "--damos_nr_filters", "2", "2",
    ];

    private static string[] Reject => Mixed.Select(w => w == "allow" ? "reject" : w).ToArray();

    public static TheoryData<string, string, string[]> Cases() => new()
    {
        { "vaddr-defaults-7.2", "7.2", ["--ops", "vaddr", "--target_pid", "123"] },
        { "vaddr-defaults-6.12", "6.12", ["--ops", "vaddr", "--target_pid", "123"] },
        { "paddr-migrate-cold-goal-7.2", "7.2", [
            "--ops", "paddr", "--regions", "4294967296-6442450944",
            "--damos_action", "migrate_cold", "1", "--damos_access_rate", "0%", "0%", "--damos_age", "10s", "max",
            "--damos_quota_interval", "1s", "--damos_quota_space", "100M", "--damos_quota_goal", "node_mem_used_bp", "30%", "0"] },
        { "filters-two-schemes-7.2", "7.2", Mixed },
        { "filters-reject-7.2", "7.2", Reject },
        { "filters-reject-6.12", "6.12", Reject },
        { "sample-filters-reports", "reports", [
            "--ops", "paddr", "--regions", "4294967296-6442450944",
            "--sample_primitives", "page_fault", "--exp_ops_write_only", "Y", "--exp_ops_cpus", "0-3,8", "--exp_ops_tids", "1234,1235"] },
        { "sample-threads-vaddr-reports", "reports", ["--ops", "vaddr", "--target_pid", "123", "--exp_ops_tids", "123"] },
    };

    private static SysfsKernelLevel Level(string name) => name switch
    {
        "7.2" => SysfsKernelLevel.V7_2,
        "reports" => SysfsKernelLevel.AccessReports,
        _ => SysfsKernelLevel.V6_12,
    };

    private static string[] Golden(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Golden", "sysfs", name + ".txt")).Where(l => !l.StartsWith('#')).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_equal_damo_3_3s(string golden, string level, string[] options)
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(Level(level));
        damon.Start(KdamondsBuilder.Build(options));
        var expected = Golden(golden).Where(l => l.StartsWith("write ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected, tree.Writes.ToArray());
    }

    /// <summary>
    /// The nr_* reads match damo's too. Damon's one extra read is a reject filter's `allow` file
    /// (it resets a reused allow=Y, damo leaves it: docs/kernel-differences.md).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_equal_damo_3_3s_but_the_allow_check(string golden, string level, string[] options)
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(Level(level));
        damon.Start(KdamondsBuilder.Build(options));
        var expected = Golden(golden).Where(l => l.StartsWith("read ", StringComparison.Ordinal)).ToArray();
        var reads = tree.Log.Where(a => a.Op == SysfsOp.Read && !a.Path.EndsWith("/allow", StringComparison.Ordinal)).Select(a => a.ToString());
        Assert.Equal(expected, reads.ToArray());
    }
}
