// The DAMOS cases of the kernel's mm/damon/tests/core-kunit.h (G2, torvalds/linux @ 0250dbe0;
// damon-spec.md §7.1 cases 15-22, 25, 27 and 30), ported with identical values, one [Fact] per
// KUNIT_CASE and named after it. The monitoring cases of the same file live in Monitoring/.
using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Core.Tests.Schemes;

public class DamosKunitTests
{
    [Fact]
    public void damos_test_new_filter()
    {
        var filter = new DamosFilter(DamosFilterType.Anon, matching: true, allow: false);
        Assert.Equal(DamosFilterType.Anon, filter.Type);
        Assert.True(filter.Matching);
        Assert.False(filter.Allow);

        // The kernel checks the new filter's list head points to itself (not linked anywhere).
        // Here a filter is linked only by damos_add_filter, which puts an anon filter on the
        // ops list and nowhere else.
        var s = new Damos(DamosAccessPattern.Any, DamosAction.Stat);
        Assert.Empty(s.Filters);
        s.AddFilter(filter);
        Assert.Same(filter, Assert.Single(s.OpsFilters));
        Assert.Empty(s.CoreFilters);
    }

    /// <summary>damos_test_commit_quota_goal_for.</summary>
    private static void CommitQuotaGoalFor(DamosQuotaGoal dst, DamosQuotaGoal src)
    {
        ulong dstLastPsiTotal = 0;
        if (dst.Metric == DamosQuotaGoalMetric.SomeMemPsiUs)
            dstLastPsiTotal = dst.LastPsiTotal;
        DamosCore.CommitQuotaGoal(dst, src);

        Assert.Equal(src.Metric, dst.Metric);
        Assert.Equal(src.TargetValue, dst.TargetValue);
        if (src.Metric == DamosQuotaGoalMetric.UserInput)
            Assert.Equal(src.CurrentValue, dst.CurrentValue);
        if (dstLastPsiTotal != 0 && src.Metric == DamosQuotaGoalMetric.SomeMemPsiUs)
            Assert.Equal(dstLastPsiTotal, dst.LastPsiTotal);
        switch (dst.Metric)
        {
            case DamosQuotaGoalMetric.NodeMemUsedBp:
            case DamosQuotaGoalMetric.NodeMemFreeBp:
                Assert.Equal(src.Nid, dst.Nid);
                break;
            case DamosQuotaGoalMetric.NodeMemcgUsedBp:
            case DamosQuotaGoalMetric.NodeMemcgFreeBp:
                Assert.Equal(src.Nid, dst.Nid);
                Assert.Equal(src.MemcgId, dst.MemcgId);
                break;
        }
    }

    [Fact]
    public void damos_test_commit_quota_goal()
    {
        var dst = new DamosQuotaGoal(DamosQuotaGoalMetric.SomeMemPsiUs, 1000) { CurrentValue = 123, LastPsiTotal = 456 };

        CommitQuotaGoalFor(dst, new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 789) { CurrentValue = 12 });
        CommitQuotaGoalFor(dst, new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemFreeBp, 345) { CurrentValue = 678, Nid = 9 });
        CommitQuotaGoalFor(dst, new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemUsedBp, 12) { CurrentValue = 345, Nid = 6 });
        CommitQuotaGoalFor(dst, new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemcgUsedBp, 456) { CurrentValue = 567, Nid = 6, MemcgId = 7 });
        CommitQuotaGoalFor(dst, new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemcgFreeBp, 890) { CurrentValue = 901, Nid = 10, MemcgId = 1 });
        CommitQuotaGoalFor(dst, new DamosQuotaGoal(DamosQuotaGoalMetric.SomeMemPsiUs, 234) { CurrentValue = 345, LastPsiTotal = 567 });

        // Beyond the kernel case: the rule it relies on — last_psi_total is never copied and
        // current_value only for user_input — leaves these values from the earlier commits.
        Assert.Equal(456UL, dst.LastPsiTotal);
        Assert.Equal(12UL, dst.CurrentValue);
    }

    /// <summary>damos_test_commit_quota_goals_for.</summary>
    private static void CommitQuotaGoalsFor(DamosQuotaGoal[] dstGoals, DamosQuotaGoal[] srcGoals)
    {
        var dst = new DamosQuota();
        var src = new DamosQuota();
        foreach (var g in dstGoals)
            dst.Goals.Add(new DamosQuotaGoal(g.Metric, g.TargetValue));
        foreach (var g in srcGoals)
            src.Goals.Add(g);

        DamosCore.CommitQuotaGoals(dst, src);

        int i = 0;
        foreach (var goal in dst.Goals)
        {
            Assert.Equal(srcGoals[i].Metric, goal.Metric);
            Assert.Equal(srcGoals[i++].TargetValue, goal.TargetValue);
        }
        Assert.Equal(srcGoals.Length, i);
    }

    [Fact]
    public void damos_test_commit_quota_goals()
    {
        CommitQuotaGoalsFor([], [new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 123)]);
        CommitQuotaGoalsFor(
            [new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 234)],
            [new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 345)]);
        CommitQuotaGoalsFor([new DamosQuotaGoal(DamosQuotaGoalMetric.UserInput, 456)], []);
    }

    [Fact]
    public void damos_test_commit_quota()
    {
        var dst = new DamosQuota
        {
            ResetIntervalMs = 1, Ms = 2, Sz = 3, GoalTuner = DamosQuotaGoalTuner.Consist,
            FailChargeNum = 2, FailChargeDenom = 3, WeightSz = 4, WeightNrAccesses = 5, WeightAge = 6,
        };
        var src = new DamosQuota
        {
            ResetIntervalMs = 7, Ms = 8, Sz = 9, GoalTuner = DamosQuotaGoalTuner.Temporal,
            FailChargeNum = 1, FailChargeDenom = 1024, WeightSz = 10, WeightNrAccesses = 11, WeightAge = 12,
        };

        DamosCore.CommitQuota(dst, src);

        Assert.Equal(src.ResetIntervalMs, dst.ResetIntervalMs);
        Assert.Equal(src.Ms, dst.Ms);
        Assert.Equal(src.Sz, dst.Sz);
        Assert.Equal(src.GoalTuner, dst.GoalTuner);
        Assert.Equal(src.FailChargeNum, dst.FailChargeNum);
        Assert.Equal(src.FailChargeDenom, dst.FailChargeDenom);
        Assert.Equal(src.WeightSz, dst.WeightSz);
        Assert.Equal(src.WeightNrAccesses, dst.WeightNrAccesses);
        Assert.Equal(src.WeightAge, dst.WeightAge);
    }

    /// <summary>damos_test_commit_dests_for.</summary>
    private static void CommitDestsFor(int[] dstNodeIdArr, uint[] dstWeightArr, int[] srcNodeIdArr, uint[] srcWeightArr)
    {
        var dst = new DamosMigrateDests { NodeIdArr = dstNodeIdArr, WeightArr = dstWeightArr };
        var src = new DamosMigrateDests { NodeIdArr = srcNodeIdArr, WeightArr = srcWeightArr };

        DamosCore.CommitDests(dst, src);

        Assert.Equal(srcNodeIdArr.Length, dst.NrDests);
        for (int i = 0; i < dst.NrDests; i++)
        {
            Assert.Equal(srcNodeIdArr[i], dst.NodeIdArr[i]);
            Assert.Equal(srcWeightArr[i], dst.WeightArr[i]);
        }
    }

    [Fact]
    public void damos_test_commit_dests()
    {
        CommitDestsFor([1, 2, 3], [2, 3, 4], [4, 5, 6], [5, 6, 7]);
        CommitDestsFor([1, 2], [2, 3], [4, 5, 6], [5, 6, 7]);
        CommitDestsFor([], [], [4, 5, 6], [5, 6, 7]);
        CommitDestsFor([1, 2, 3], [2, 3, 4], [4, 5], [5, 6]);
        CommitDestsFor([1, 2, 3], [2, 3, 4], [], []);
    }

    /// <summary>damos_test_commit_filter_for.</summary>
    private static void CommitFilterFor(DamosFilter dst, DamosFilter src)
    {
        DamosCore.CommitFilter(dst, src);
        Assert.Equal(src.Type, dst.Type);
        Assert.Equal(src.Matching, dst.Matching);
        Assert.Equal(src.Allow, dst.Allow);
        switch (src.Type)
        {
            case DamosFilterType.Memcg:
                Assert.Equal(src.MemcgId, dst.MemcgId);
                break;
            case DamosFilterType.Addr:
                Assert.Equal(src.AddrRange.Start, dst.AddrRange.Start);
                Assert.Equal(src.AddrRange.End, dst.AddrRange.End);
                break;
            case DamosFilterType.Target:
                Assert.Equal(src.TargetIdx, dst.TargetIdx);
                break;
            case DamosFilterType.HugepageSize:
                Assert.Equal(src.SzRange.Min, dst.SzRange.Min);
                Assert.Equal(src.SzRange.Max, dst.SzRange.Max);
                break;
        }
    }

    [Fact]
    public void damos_test_commit_filter()
    {
        var dst = new DamosFilter(DamosFilterType.Active, matching: false, allow: false);

        CommitFilterFor(dst, new DamosFilter(DamosFilterType.Anon, true, true));
        CommitFilterFor(dst, new DamosFilter(DamosFilterType.Memcg, false, false) { MemcgId = 123 });
        CommitFilterFor(dst, new DamosFilter(DamosFilterType.Young, true, true));
        CommitFilterFor(dst, new DamosFilter(DamosFilterType.HugepageSize, false, false) { SzRange = new SizeRange(234, 345) });
        CommitFilterFor(dst, new DamosFilter(DamosFilterType.Unmapped, true, true));
        CommitFilterFor(dst, new DamosFilter(DamosFilterType.Addr, false, false) { AddrRange = new AddrRange(456, 567) });
        CommitFilterFor(dst, new DamosFilter(DamosFilterType.Target, true, true) { TargetIdx = 6 });
    }

    /// <summary>damos_test_commit_for.</summary>
    private static void CommitFor(Damos dst, Damos src)
    {
        DamosCore.CommitScheme(dst, src);

        Assert.Equal(src.Pattern.MinSzRegion, dst.Pattern.MinSzRegion);
        Assert.Equal(src.Pattern.MaxSzRegion, dst.Pattern.MaxSzRegion);
        Assert.Equal(src.Pattern.MinNrAccesses, dst.Pattern.MinNrAccesses);
        Assert.Equal(src.Pattern.MaxNrAccesses, dst.Pattern.MaxNrAccesses);
        Assert.Equal(src.Pattern.MinAgeRegion, dst.Pattern.MinAgeRegion);
        Assert.Equal(src.Pattern.MaxAgeRegion, dst.Pattern.MaxAgeRegion);

        Assert.Equal(src.Action, dst.Action);
        Assert.Equal(src.ApplyIntervalUs, dst.ApplyIntervalUs);

        Assert.Equal(src.Wmarks.Metric, dst.Wmarks.Metric);
        Assert.Equal(src.Wmarks.IntervalUs, dst.Wmarks.IntervalUs);
        Assert.Equal(src.Wmarks.High, dst.Wmarks.High);
        Assert.Equal(src.Wmarks.Mid, dst.Wmarks.Mid);
        Assert.Equal(src.Wmarks.Low, dst.Wmarks.Low);

        if (src.Action is DamosAction.MigrateCold or DamosAction.MigrateHot)
            Assert.Equal(src.TargetNid, dst.TargetNid);
    }

    /// <summary>The destination scheme both commit cases start from.</summary>
    private static Damos CommitDst() => new(new DamosAccessPattern(1, 2, 3, 4, 5, 6), DamosAction.Pageout, 1_000_000,
        wmarks: new DamosWatermarks { Metric = DamosWmarkMetric.FreeMemRate, IntervalUs = 900, High = 100, Mid = 50 });

    [Fact]
    public void damos_test_commit_pageout()
    {
        CommitFor(CommitDst(), new Damos(new DamosAccessPattern(2, 3, 4, 5, 6, 7), DamosAction.Pageout, 2_000_000,
            wmarks: new DamosWatermarks { Metric = DamosWmarkMetric.FreeMemRate, IntervalUs = 800, High = 50, Mid = 30 }));
    }

    [Fact]
    public void damos_test_commit_migrate_hot()
    {
        CommitFor(CommitDst(), new Damos(new DamosAccessPattern(2, 3, 4, 5, 6, 7), DamosAction.MigrateHot, 2_000_000,
            targetNid: 5));
    }

    [Fact]
    public void damos_test_filter_out()
    {
        var f = new DamosFilter(DamosFilterType.Addr, matching: true, allow: false) { AddrRange = new AddrRange(2, 6) };
        var t = new Target();
        var r = t.NewRegion(3, 5);
        t.AddRegion(r);

        // region in the range
        Assert.True(DamosCore.FilterMatch(null, t, r, f, 1));
        Assert.Equal(1, t.NrRegions);

        // region before the range
        r.Start = 1;
        r.End = 2;
        Assert.False(DamosCore.FilterMatch(null, t, r, f, 1));
        Assert.Equal(1, t.NrRegions);

        // region after the range
        r.Start = 6;
        r.End = 8;
        Assert.False(DamosCore.FilterMatch(null, t, r, f, 1));
        Assert.Equal(1, t.NrRegions);

        // region started before the range: the filter splits it
        r.Start = 1;
        r.End = 4;
        Assert.False(DamosCore.FilterMatch(null, t, r, f, 1));
        Assert.Equal(1UL, r.Start);
        Assert.Equal(2UL, r.End);
        Assert.Equal(2, t.NrRegions);
        var r2 = r.NextRegion!;
        Assert.Equal(2UL, r2.Start);
        Assert.Equal(4UL, r2.End);
        t.DestroyRegion(r2);

        // region started in the range: the filter splits it
        r.Start = 2;
        r.End = 8;
        Assert.True(DamosCore.FilterMatch(null, t, r, f, 1));
        Assert.Equal(2UL, r.Start);
        Assert.Equal(6UL, r.End);
        Assert.Equal(2, t.NrRegions);
        r2 = r.NextRegion!;
        Assert.Equal(6UL, r2.Start);
        Assert.Equal(8UL, r2.End);
        t.DestroyRegion(r2);
    }

    [Fact]
    public void damon_test_set_filters_default_reject()
    {
        var scheme = new Damos(DamosAccessPattern.Any, DamosAction.Stat);

        // No filter at all: allow by default on both stages.
        DamosCore.SetFiltersDefaultReject(scheme);
        Assert.False(scheme.CoreFiltersDefaultReject);
        Assert.False(scheme.OpsFiltersDefaultReject);

        // A core allow-filter: the core stage rejects what it does not match.
        var targetFilter = new DamosFilter(DamosFilterType.Target, matching: true, allow: true);
        scheme.AddFilter(targetFilter);
        DamosCore.SetFiltersDefaultReject(scheme);
        Assert.True(scheme.CoreFiltersDefaultReject);
        Assert.False(scheme.OpsFiltersDefaultReject);

        // A core reject-filter: the core stage allows what it does not match.
        targetFilter.Allow = false;
        DamosCore.SetFiltersDefaultReject(scheme);
        Assert.False(scheme.CoreFiltersDefaultReject);
        Assert.False(scheme.OpsFiltersDefaultReject);

        // Plus an ops allow-filter: the core stage lets everything through to the ops stage,
        // which rejects by default after its last (allow) filter.
        var anonFilter = new DamosFilter(DamosFilterType.Anon, matching: true, allow: true);
        scheme.AddFilter(anonFilter);
        DamosCore.SetFiltersDefaultReject(scheme);
        Assert.False(scheme.CoreFiltersDefaultReject);
        Assert.True(scheme.OpsFiltersDefaultReject);

        // Core allow-filter and ops allow-filter: still decided by the ops stage.
        targetFilter.Allow = true;
        DamosCore.SetFiltersDefaultReject(scheme);
        Assert.False(scheme.CoreFiltersDefaultReject);
        Assert.True(scheme.OpsFiltersDefaultReject);
    }

    /// <summary>Regression for the damos_walk() vs kdamond_fn() exit race (kernel commit 33c3f6c2b48c).</summary>
    [Fact]
    public void damon_test_walk_control_obsolete()
    {
        var ctx = new DamonContext();
        // Simulate the shutdown phase.
        ctx.WalkControlObsolete = true;

        // damos_walk returns -ECANCELED at once, before any task exists to wait on.
        var e = Assert.Throws<DamonException>(() => { _ = DamosCore.Walk(ctx, new DamosWalkControl((_, _, _, _, _) => { })); });
        Assert.Equal(Errno.ECANCELED, e.Errno);
    }
}
