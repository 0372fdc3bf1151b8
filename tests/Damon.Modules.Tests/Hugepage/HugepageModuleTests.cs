using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.Hugepage;
using Xunit;

namespace Damon.Modules.Tests.Hugepage;

public class HugepageModuleTests
{
    private const ulong MiB = 1UL << 20;
    private static readonly MonitoringAttrs Attrs = new ModuleMonitoringAttrs().ToAttrs();

    [Fact]
    public void Hot_scheme_collapses_hot_blocks_toward_the_hugepage_mem_bp_goal_with_the_chosen_tuner()
    {
        var p = HugepageParams.Default with { HugepageMemBp = 1000, GoalTuner = 1, HotThresAccessFreq = 100 };
        var s = HugepageModule.NewHotScheme(p, Attrs);
        Assert.Equal(DamosAction.Collapse, s.Action);
        // 100 ms / 5 ms = 20 samples per aggregation; 10 % of them: 2.
        Assert.Equal(new DamosAccessPattern(2 * MiB, ulong.MaxValue, 2, uint.MaxValue, 0, uint.MaxValue), s.Pattern);
        var g = Assert.Single(s.Quota.Goals);
        Assert.Equal(DamosQuotaGoalMetric.HugepageMemBp, g.Metric);
        Assert.Equal(1000UL, g.TargetValue);
        Assert.Equal(DamosQuotaGoalTuner.Temporal, s.Quota.GoalTuner);
        Assert.Equal(64 * MiB, s.Quota.Sz);
        Assert.Equal(1000UL, s.Quota.ResetIntervalMs);
    }

    [Fact]
    public void Without_a_target_the_hot_scheme_has_no_goal_and_a_hot_threshold_of_at_least_one()
    {
        var s = HugepageModule.NewHotScheme(HugepageParams.Default with { HotThresAccessFreq = 0 }, Attrs);
        Assert.Empty(s.Quota.Goals);
        Assert.Equal(1u, s.Pattern.MinNrAccesses);
    }

    [Fact]
    public void Cold_scheme_gives_back_blocks_idle_for_cold_min_age_under_its_own_size_quota()
    {
        var s = HugepageModule.NewColdScheme(HugepageParams.Default with { ColdMinAgeUs = 2_000_000, ColdQuotaSz = 256 * MiB }, Attrs);
        Assert.Equal(DamosAction.Nohugepage, s.Action);
        Assert.Equal(new DamosAccessPattern(2 * MiB, ulong.MaxValue, 0, 0, 20, uint.MaxValue), s.Pattern);
        Assert.Equal(256 * MiB, s.Quota.Sz);
        Assert.Empty(s.Quota.Goals);
    }

    [Fact]
    public void Underused_scheme_gives_back_accessed_blocks_under_the_cold_quota_and_only_when_asked()
    {
        var p = HugepageParams.Default with { ColdQuotaSz = 256 * MiB, SplitUnderused = true };
        var s = HugepageModule.NewUnderusedScheme(p, Attrs);
        Assert.Equal(DamosAction.Nohugepage, s.Action);
        // Accessed in at least one sample, any age: the complement of the cold scheme's nr_accesses.
        Assert.Equal(new DamosAccessPattern(2 * MiB, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue), s.Pattern);
        Assert.Equal(256 * MiB, s.Quota.Sz);
        Assert.Empty(s.Quota.Goals);
        var ctx = new DamonContext(1);
        var m = new HugepageModule(p with { TargetPid = 5 });
        m.AddSchemes(ctx, Attrs);
        Assert.Equal([DamosAction.Collapse, DamosAction.Nohugepage, DamosAction.Nohugepage], ctx.Schemes.Select(x => x.Action));
        Assert.Same(ctx.Schemes[2], m.Underused);
        var plain = new HugepageModule(HugepageParams.Default with { TargetPid = 5 });
        plain.AddSchemes(new DamonContext(1), Attrs);
        Assert.Null(plain.Underused);
    }

    [Fact]
    public void Context_has_one_target_and_the_schemes_asked_for()
    {
        var ctx = new DamonContext(1);
        var m = new HugepageModule(HugepageParams.Default with { TargetPid = 5, SplitCold = false });
        m.AddSchemes(ctx, Attrs);
        Assert.Equal([DamosAction.Collapse], ctx.Schemes.Select(s => s.Action));
        Assert.Null(m.Cold);
    }

    [Theory]
    [InlineData(0, 0UL, 0UL, 0UL, "target_pid")]
    [InlineData(3, 2UL, 0UL, 0UL, "goal_tuner")]
    [InlineData(3, 0UL, 1001UL, 0UL, "hot_thres_access_freq")]
    [InlineData(3, 0UL, 500UL, 10001UL, "hugepage_mem_bp")]
    public void Validate_names_the_parameter_it_rejects(int pid, ulong tuner, ulong hotFreq, ulong bp, string param)
    {
        var p = HugepageParams.Default with { TargetPid = pid, GoalTuner = tuner, HotThresAccessFreq = hotFreq, HugepageMemBp = bp };
        var e = Assert.Throws<ModuleParamException>(p.Validate);
        Assert.Contains(param, e.Message);
    }

    [Fact]
    public void Top_cpu_rival_collapses_only_in_the_three_processes_that_used_most_cpu_last_period()
    {
        var ctx = new DamonContext(1);
        foreach (int pid in new[] { 11, 12, 13, 14, 15 })
            ctx.AddTarget(new Target(pid));
        var rival = new TopCpuCollapse(HugepageParams.Default);
        var s = rival.AddScheme(ctx, Attrs);
        Assert.Empty(rival.Chosen);
        var last = new Dictionary<int, ulong>();
        var cpu = new Dictionary<int, ulong> { [11] = 10, [12] = 50, [13] = 0, [14] = 30, [15] = 40 };
        rival.Rechoose(ctx, pid => cpu[pid], last);
        Assert.Equal([12, 15, 14], rival.Chosen);
        Assert.Equal([1, 4, 3], s.CoreFilters.Select(f => f.TargetIdx));
        Assert.All(s.CoreFilters, f => Assert.True(f.Allow && f.Type == DamosFilterType.Target));
        // Cumulative CPU: the next period counts only what was used since.
        cpu[11] += 100; cpu[12] += 1; cpu[13] += 5; cpu[14] += 0; cpu[15] += 2;
        rival.Rechoose(ctx, pid => cpu[pid], last);
        Assert.Equal([11, 13, 15], rival.Chosen);
    }
}
