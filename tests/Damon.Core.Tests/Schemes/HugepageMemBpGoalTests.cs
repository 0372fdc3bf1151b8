using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// The queued hugepage_mem_bp goal metric: THP bytes × 10000 / (total − free), read at each quota
/// reset like every other metric (§3.6), and driving the tuners as any goal does.
/// </summary>
public class HugepageMemBpGoalTests
{
    private static (SchemeBed Bed, Damos S, DamosQuotaGoal Goal) Bed(DamosQuotaGoalTuner tuner)
    {
        var bed = new SchemeBed(10, 10 * MiB);
        bed.TestOps.IsAccessed = static (_, _) => true;
        var s = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue),
            DamosAction.Collapse, quota: new DamosQuota { Sz = 4 * MiB, ResetIntervalMs = 1000, GoalTuner = tuner }));
        var goal = new DamosQuotaGoal(DamosQuotaGoalMetric.HugepageMemBp, 1000);
        s.Quota.Goals.Add(goal);
        return (bed, s, goal);
    }

    [Fact]
    public void Current_value_is_thp_bytes_per_used_bytes_in_bp()
    {
        var (bed, _, goal) = Bed(DamosQuotaGoalTuner.Consist);
        // 600 MiB used of 1000 MiB, 150 MiB of it THP: 2500 bp.
        bed.Metrics.Hugepage = (150 * MiB, 1000 * MiB, 400 * MiB);
        bed.Start();
        bed.RunUntilMs(100);
        Assert.Equal(2500UL, goal.CurrentValue);
        Assert.Equal("hugepage_mem_bp", goal.Metric.SysfsName());
    }

    [Fact]
    public void A_machine_without_the_reading_or_with_nothing_used_reads_zero()
    {
        var (bed, _, goal) = Bed(DamosQuotaGoalTuner.Consist);
        bed.Start();
        bed.RunUntilMs(100);
        Assert.Equal(0UL, goal.CurrentValue);
        bed.Metrics.Hugepage = (0, 1000 * MiB, 1000 * MiB);
        bed.RunUntilMs(1100);
        Assert.Equal(0UL, goal.CurrentValue);
    }

    [Fact]
    public void Temporal_stops_collapsing_once_the_share_reaches_the_target()
    {
        var (bed, s, goal) = Bed(DamosQuotaGoalTuner.Temporal);
        // 5 % THP against a 10 % target: full size quota.
        bed.Metrics.Hugepage = (50 * MiB, 1000 * MiB, 0);
        bed.Start();
        bed.RunUntilMs(100);
        Assert.Equal(500UL, goal.CurrentValue);
        Assert.Equal(4 * MiB, s.Quota.Esz);
        // 10 %: score 10000, the temporal tuner stops.
        bed.Metrics.Hugepage = (100 * MiB, 1000 * MiB, 0);
        bed.RunUntilMs(1100);
        Assert.Equal(1000UL, goal.CurrentValue);
        Assert.Equal(0UL, s.Quota.Esz);
    }
}
