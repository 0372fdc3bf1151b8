using Damon.Config.Args;
using Damon.Config.Schema;
using Damon.Linux.Sysfs;
using Xunit;

namespace Damon.Linux.Tests.Sysfs;

public class KernelDamonTests
{
    private static KdamondsSpec Spec(params string[] options) => KdamondsBuilder.Build(options);

    private static readonly TriedRegionSpec[] Regions =
    [
        new() { Start = 4096, End = 8192, NrAccesses = 20, Age = 3, SzFilterPassed = 4096 },
        new() { Start = 8192, End = 65536, NrAccesses = 0, Age = 70, SzFilterPassed = 0 },
    ];

    [Fact]
    public void Start_settles_for_vaddr_then_writes_on_and_status_reads_stats_and_tried_regions()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        var slept = new List<TimeSpan>();
        var damon = new KernelDamon(tree, slept.Add);
        damon.Start(Spec("--ops", "vaddr", "--target_pid", "9", "--damos_action", "pageout"));
        Assert.Equal([KernelDamon.VaddrSettle], slept);
        tree.SetKernelStats(0, 0, 0, new SchemeStatsSpec { NrTried = 5, SzTried = 61440, NrApplied = 2, SzApplied = 4096, QtExceeds = 1 });
        tree.SetKernelTriedRegions(0, 0, 0, Regions);
        tree.SetKernelEffectiveBytes(0, 0, 0, 1 << 20);
        tree.SetKernelTunedIntervals(0, 0, 4000, 80000);
        damon.UpdateSchemesStats();
        damon.UpdateSchemesTriedRegions();
        damon.UpdateSchemesEffectiveQuotas();
        damon.UpdateTunedIntervals();
        var s = damon.Status().Kdamonds[0].Contexts[0];
        var scheme = s.Schemes[0];
        Assert.Equal((5UL, 61440UL, 2UL, 4096UL, 1UL), (scheme.Stats!.NrTried, scheme.Stats.SzTried, scheme.Stats.NrApplied, scheme.Stats.SzApplied, scheme.Stats.QtExceeds));
        Assert.Equal(Regions.Select(r => r.ToLine(true)), scheme.TriedRegions!.Select(r => r.ToLine(true)));
        Assert.Equal(61440UL, scheme.TotalBytes);
        Assert.Equal(1UL << 20, scheme.Quotas.EffectiveSzBytes);
        Assert.Equal((4000UL, 80000UL), (s.Intervals.SampleUs, s.Intervals.AggrUs));
        damon.ClearSchemesTriedRegions();
        Assert.Empty(damon.Status().Kdamonds[0].Contexts[0].Schemes[0].TriedRegions!);
        damon.Stop();
        Assert.Equal(["on", "update_schemes_stats", "update_schemes_tried_regions", "update_schemes_effective_quotas",
            "update_tuned_intervals", "clear_schemes_tried_regions", "off"], tree.Commands.Select(c => c.Command));
    }

    [Fact]
    public void Refresh_ms_skips_the_manual_refreshes_but_not_the_tried_regions()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V7_2);
        damon.Start(Spec("--ops", "paddr", "--regions", "0-4096", "--damos_action", "stat", "--refresh_stat", "100ms"));
        damon.UpdateSchemesStats();
        damon.UpdateSchemesEffectiveQuotas();
        damon.UpdateTunedIntervals();
        damon.UpdateSchemesTriedRegions();
        Assert.Equal(["on", "update_schemes_tried_regions"], tree.Commands.Select(c => c.Command));
    }

    [Fact]
    public void Commands_need_a_running_kdamond()
    {
        var tree = new FakeSysfsTree(SysfsKernelLevel.V7_2);
        new KdamondsSysfsWriter(tree).Write(Spec("--ops", "paddr", "--regions", "0-4096"));
        var e = Assert.Throws<SysfsException>(() => new KernelDamon(tree).UpdateSchemesStats());
        Assert.Equal("damon: kdamonds/0/state: update_schemes_stats needs a running kdamond (it is off)", e.Message);
    }

    [Fact]
    public void Commit_stages_and_writes_commit()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V7_2);
        damon.Start(Spec("--ops", "paddr", "--regions", "0-4096", "--damos_action", "stat"));
        damon.Commit(Spec("--ops", "paddr", "--regions", "0-4096", "--damos_action", "cold"));
        Assert.Equal("cold", tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
        Assert.Equal(["on", "commit"], tree.Commands.Select(c => c.Command));
    }

    [Fact]
    public void A_running_kdamond_refuses_a_new_nr_kdamonds_with_ebusy()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V7_2);
        damon.Start(Spec("--ops", "paddr", "--regions", "0-4096"));
        var e = Assert.Throws<SysfsException>(() => damon.Commit(new KdamondsSpec()));
        Assert.Equal("damon: kdamonds/nr_kdamonds: write \"0\" failed: Device or resource busy", e.Message);
    }

    [Fact]
    public void Live_snapshot_installs_a_monitoring_scheme_reads_it_and_restores_the_original()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V7_2);
        damon.Start(Spec("--ops", "paddr", "--regions", "0-65536", "--damos_action", "pageout"));
        tree.SetKernelTriedRegions(0, 0, 1, Regions);
        var snap = damon.LiveSnapshot();
        Assert.Equal(Regions.Select(r => r.ToLine(true)), snap.Kdamonds[0].Contexts[0].Schemes[1].TriedRegions!.Select(r => r.ToLine(true)));
        Assert.Equal("pageout", tree.Read("kdamonds/0/contexts/0/schemes/0/action"));
        var monitor = snap.Kdamonds[0].Contexts[0].Schemes[1];
        Assert.Equal(("stat", 5000UL, 18446744073709551615.0), (monitor.Action, monitor.ApplyIntervalUs, monitor.AccessPattern.NrAccessesMax));
        Assert.Equal("1", tree.Read("kdamonds/0/contexts/0/schemes/nr_schemes"));
        Assert.Equal(["on", "commit", "update_schemes_tried_regions", "commit"], tree.Commands.Select(c => c.Command));
    }

    [Fact]
    public void Status_renders_with_the_report_damon_outline()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V7_2);
        damon.Start(Spec("--ops", "paddr", "--regions", "4096-65536", "--damos_action", "stat"));
        tree.SetKernelStats(0, 0, 0, new SchemeStatsSpec { NrTried = 2, SzTried = 61440 });
        tree.SetKernelTriedRegions(0, 0, 0, Regions);
        damon.UpdateSchemesStats();
        damon.UpdateSchemesTriedRegions();
        var lines = Damon.Config.Report.KdamondsReport.Render(damon.Status(), raw: true, status: true).Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("state: on, pid: 4242", lines);
        Assert.Contains("tried 2 times (61440)", lines);
        Assert.Contains(Regions[0].ToLine(true), lines);
        Assert.Contains(Regions[1].ToLine(true), lines);
    }

    [Fact]
    public void Quota_goal_values_are_pushed_with_commit_schemes_quota_goals()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V6_12);
        var spec = Spec("--ops", "paddr", "--regions", "0-4096", "--damos_action", "pageout",
            "--damos_quota_interval", "1s", "--damos_quota_goal", "user_input", "10000", "1200");
        damon.Start(spec);
        spec.Kdamonds[0].Contexts[0].Schemes[0].Quotas.Goals[0].CurrentValue = 9000;
        tree.Log.Clear();
        damon.CommitSchemesQuotaGoals(spec);
        Assert.Equal("9000", tree.Read("kdamonds/0/contexts/0/schemes/0/quotas/goals/0/current_value"));
        Assert.Equal(("kdamonds/0", "commit_schemes_quota_goals"), tree.Commands[^1]);
    }

    [Fact]
    public void Features_of_a_running_kernel_are_read_without_a_write()
    {
        var (tree, damon) = FakeKernel.KernelDamonOn(SysfsKernelLevel.V6_16);
        damon.Start(Spec("--ops", "paddr", "--regions", "0-4096", "--damos_action", "stat",
            "--damos_quota_interval", "1s", "--damos_quota_goal", "node_mem_used_bp", "50%", "0"));
        tree.Log.Clear();
        var f = DamonSysfsFeatures.Detect(tree);
        Assert.DoesNotContain(tree.Log, a => a.Op == SysfsOp.Write);
        Assert.True(f.CoreOpsFilters && f.GoalNid && f.IntervalsGoal);
        Assert.False(f.Dests || f.RefreshMs || f.AddrUnit);
        Assert.Contains("node_mem_free_bp", f.GoalMetrics);
    }
}
