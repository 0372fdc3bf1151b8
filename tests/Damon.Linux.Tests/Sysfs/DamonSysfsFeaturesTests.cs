using Damon.Config.Args;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

public class DamonSysfsFeaturesTests
{
    [Fact]
    public void A_6_12_tree_has_filters_only_and_the_two_old_goal_metrics()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V6_12);
        var f = DamonSysfsFeatures.Detect(tree);
        Assert.True(f.Filters);
        Assert.False(f.CoreOpsFilters);
        Assert.False(f.Dests);
        Assert.False(f.FilterAllow);
        Assert.Equal(["user_input", "some_mem_psi_us"], f.GoalMetrics);
        Assert.Equal(["anon", "memcg", "young", "addr", "target"], f.FilterTypes);
        Assert.Equal(["vaddr", "fvaddr", "paddr"], f.AvailOperations);
        Assert.False(f.IntervalsGoal || f.RefreshMs || f.AddrUnit || f.Pause || f.Probes || f.GoalNid);
        // The probe is gone again.
        Assert.Equal("0", tree.Read("kdamonds/nr_kdamonds"));
    }

    [Fact]
    public void A_7_2_tree_has_everything_mainline()
    {
        var f = DamonSysfsFeatures.Detect(new FakeSysfsTree(SysfsKernelLevel.V7_2));
        Assert.True(f.CoreOpsFilters && f.Filters && f.FilterAllow && f.Dests && f.GoalNid && f.GoalPath && f.IntervalsGoal
            && f.AddrUnit && f.Pause && f.RefreshMs && f.Probes && f.GoalTuner && f.FailCharge && f.ObsoleteTarget);
        Assert.False(f.Sample || f.OperationsAttrs);
        Assert.Contains("node_mem_used_bp", f.GoalMetrics);
        Assert.Contains("node_eligible_mem_bp", f.GoalMetrics);
        // addr and target are probed in core_filters/: ops_filters/ refuses them (damos_sysfs_scheme_filter_valid_type).
        Assert.Equal(["anon", "active", "memcg", "young", "hugepage_size", "unmapped", "addr", "target"], f.FilterTypes);
    }

    [Fact]
    public void Missing_names_what_a_tiering_spec_needs_from_a_6_12_kernel()
    {
        var f = DamonSysfsFeatures.Detect(new FakeSysfsTree(SysfsKernelLevel.V6_12));
        var spec = KdamondsBuilder.Build(["--ops", "paddr", "--regions", "0-4096", "--monitoring_intervals_autotune",
            "--damos_action", "migrate_hot", "0", "--damos_quota_interval", "1s", "--damos_quota_goal", "node_mem_used_bp", "99.7%", "0",
            "--damos_filter", "allow", "young"]);
        Assert.Equal(
        [
            "this kernel has no intervals_goal: interval auto-tuning (kdamond 0 context 0) needs 6.15+",
            "this kernel does not accept the quota goal metric 'node_mem_used_bp' (kdamond 0 context 0 scheme 0; it accepts user_input, some_mem_psi_us); node_mem_used_bp/node_mem_free_bp need 6.16+",
            "this kernel has no filters' allow file: an 'allow young' filter (kdamond 0 context 0 scheme 0) needs 6.14+",
        ], f.Missing(spec));
        Assert.Empty(DamonSysfsFeatures.Detect(new FakeSysfsTree(SysfsKernelLevel.V7_2)).Missing(spec));
    }
}
