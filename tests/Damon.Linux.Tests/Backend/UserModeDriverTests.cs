using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Backend.Snapshots;
using Damon.Linux.Backend.UserMode;
using Damon.Linux.Tests.Backend.Fakes;
using Xunit;

namespace Damon.Linux.Tests.Backend;

/// <summary>
/// User mode's DAMOS on kernel snapshots: expectations follow the kernel's damos_* semantics for
/// the same regions (quota windows from reset_interval_ms, apply_interval_us in sample intervals,
/// charge-resume after a full quota).
/// </summary>
public sealed class UserModeDriverTests
{
    private const ulong MiB = 1 << 20;
    private const ulong AggrNs = 100_000_000;

    private static (UserModeDriver Driver, FakeUserModeActions Actions, UserModeProblems Problems, StringWriter Notices)
        Setup(params Damos[] schemes) => Setup([100], schemes);

    private static (UserModeDriver Driver, FakeUserModeActions Actions, UserModeProblems Problems, StringWriter Notices)
        Setup(int[] pids, Damos[] schemes)
    {
        var ctx = new DamonContext(seed: 1);
        DamonCore.SetAttrs(ctx, MonitoringAttrs.Default with { SampleIntervalUs = 5_000, AggrIntervalUs = 100_000 });
        foreach (int pid in pids)
            ctx.AddTarget(new Target(pid));
        foreach (var s in schemes)
            DamosCore.AddScheme(ctx, s);
        var actions = new FakeUserModeActions();
        var notices = new StringWriter();
        var problems = new UserModeProblems { Notices = notices };
        new UserModeOperations(OperationsId.Vaddr, actions, problems).AttachTo(ctx);
        var driver = new UserModeDriver(ctx);
        driver.Start(0);
        return (driver, actions, problems, notices);
    }

    /// <summary>The hot 4 MiB at the bottom of a 64 MiB target, every sample accessed.</summary>
    private static KernelAggregation HotCold(ulong timeNs, uint age = 3) => new(timeNs,
    [
        [new KernelRegion(0, 4 * MiB, 20, age), new KernelRegion(4 * MiB, 64 * MiB, 0, age + 10)],
    ]);

    private static Damos MigrateHot(ulong quotaSz, ulong applyIntervalUs = 0) =>
        new(new DamosAccessPattern(4096, ulong.MaxValue, 5, 20, 0, uint.MaxValue), DamosAction.MigrateHot,
            applyIntervalUs, new DamosQuota { Sz = quotaSz, ResetIntervalMs = 1000 }, targetNid: 0);

    [Fact]
    public void A_one_MiB_quota_applies_exactly_one_MiB_per_window_resuming_after_the_charged_address()
    {
        var (driver, actions, _, _) = Setup(MigrateHot(MiB));
        for (ulong i = 1; i <= 10; i++)
            driver.OnAggregation(HotCold(i * AggrNs));
        // Aggregations 1..10 are one window: charged_from at 100 ms, the reset at 1100 ms.
        Assert.Equal([(100, 0UL, MiB, DamosAction.MigrateHot, 0)], actions.Calls);
        var s = driver.Ctx.Schemes[0];
        Assert.Equal(MiB, s.Stat.SzApplied);
        // A full quota skips the scheme before the region is tried (damon_do_apply_schemes).
        Assert.Equal(1UL, s.Stat.NrTried);

        driver.OnAggregation(HotCold(11 * AggrNs));
        Assert.Equal((100, MiB, 2 * MiB, DamosAction.MigrateHot, 0), actions.Calls[^1]);
        Assert.Equal(2, actions.Calls.Count);
        Assert.Equal(1UL, s.Stat.QtExceeds);
    }

    [Fact]
    public void Without_a_quota_every_aggregation_applies_the_whole_matching_region()
    {
        var (driver, actions, _, _) = Setup(MigrateHot(0));
        for (ulong i = 1; i <= 3; i++)
            driver.OnAggregation(HotCold(i * AggrNs));
        Assert.Equal(3, actions.Calls.Count);
        Assert.All(actions.Calls, c => Assert.Equal((0UL, 4 * MiB), (c.Start, c.End)));
        Assert.Equal(12 * MiB, driver.Ctx.Schemes[0].Stat.SzApplied);
    }

    [Fact]
    public void A_one_second_apply_interval_applies_every_tenth_aggregation()
    {
        var (driver, actions, _, _) = Setup(MigrateHot(0, applyIntervalUs: 1_000_000));
        for (ulong i = 1; i <= 25; i++)
        {
            driver.OnAggregation(HotCold(i * AggrNs));
            Assert.Equal((int)(i / 10), actions.Calls.Count);
        }
    }

    [Fact]
    public void A_late_snapshot_accounts_for_every_aggregation_that_passed()
    {
        var (driver, actions, _, _) = Setup(MigrateHot(0, applyIntervalUs: 1_000_000));
        driver.OnAggregation(HotCold(1 * AggrNs));
        // The kernel's update command took long: the next snapshot is 9 aggregations later.
        driver.OnAggregation(HotCold(10 * AggrNs + 20_000_000));
        Assert.Equal(10UL, driver.NrAggregations);
        Assert.Equal(200UL, driver.Ctx.PassedSampleIntervals);
        Assert.Single(actions.Calls);
    }

    [Fact]
    public void Regions_the_pattern_does_not_match_are_left_alone()
    {
        var (driver, actions, _, _) = Setup(MigrateHot(0));
        driver.OnAggregation(new KernelAggregation(AggrNs, [[new KernelRegion(0, 4 * MiB, 4, 1), new KernelRegion(4 * MiB, 8 * MiB, 0, 1)]]));
        Assert.Empty(actions.Calls);
        Assert.Equal(0UL, driver.Ctx.Schemes[0].Stat.NrTried);
    }

    [Fact]
    public void The_quota_goes_to_the_hottest_region_first()
    {
        var scheme = MigrateHot(MiB);
        scheme.Quota.WeightNrAccesses = 1000;
        var (driver, actions, _, _) = Setup(scheme);
        driver.OnAggregation(new KernelAggregation(AggrNs,
            [[new KernelRegion(0, 2 * MiB, 6, 1), new KernelRegion(2 * MiB, 4 * MiB, 20, 1), new KernelRegion(4 * MiB, 8 * MiB, 0, 1)]]));
        Assert.Equal([(100, 2 * MiB, 3 * MiB, DamosAction.MigrateHot, 0)], actions.Calls);
    }

    [Fact]
    public void A_target_whose_process_exited_is_dropped_with_one_line_and_the_others_keep_being_served()
    {
        var (driver, actions, problems, notices) = Setup([100, 200], [MigrateHot(0)]);
        KernelAggregation Both(ulong t) => new(t,
        [
            [new KernelRegion(0, 4 * MiB, 20, 1)],
            [new KernelRegion(8 * MiB, 12 * MiB, 20, 1)],
        ]);
        driver.OnAggregation(Both(AggrNs));
        actions.VanishOnApply.Add(100);
        driver.OnAggregation(Both(2 * AggrNs));
        driver.OnAggregation(Both(3 * AggrNs));
        Assert.Equal("damon: target 0 (pid 100) exited; dropped, the other targets keep being served\n", notices.ToString().Replace("\r", ""));
        Assert.Equal([100], problems.DroppedPids);
        Assert.Equal([100, 200, 200, 200], actions.Calls.Select(c => c.Pid));
    }

    [Fact]
    public void A_node_used_goal_tunes_the_quota_from_the_metrics()
    {
        var scheme = MigrateHot(4 * MiB);
        scheme.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemUsedBp, 5000) { Nid = 0 });
        var (driver, actions, _, _) = Setup(scheme);
        // Node 0 is full, twice the 50 % goal: the consist tuner (damon_feed_loop_next_input)
        // starts from its 1-byte floor and cannot go lower, so the window's effective quota is
        // 1 byte, less than a page, and nothing is applied.
        var metrics = new FakeMetrics { NodeTotal = 1000 * MiB, NodeFree = 0 };
        driver.Ctx.Metrics = metrics;
        driver.OnAggregation(HotCold(AggrNs));
        Assert.Equal(1UL, driver.Ctx.Schemes[0].Quota.Esz);
        Assert.Equal(10000UL, driver.Ctx.Schemes[0].Quota.Goals[0].CurrentValue);
        Assert.Empty(actions.Calls);
    }
}
