using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// Quota goal tuning (spec §3.5 goal tuners, §3.6 metrics, §2.11 damon_feed_loop_next_input) on
/// the real kdamond loop. With a 1000 ms reset interval the k-th charge window opens at the round
/// at 100 + 1000 k ms, which is when the goal's metric is read and esz recomputed.
/// </summary>
public class GoalTunerScenarioTests
{
    private static ulong WindowStartMs(int k) => 100 + 1000 * (ulong)k;

    [Fact]
    public void Consist_tuner_moves_esz_as_feed_loop_next_input_says_toward_node_mem_used_bp_9970()
    {
        // All regions hot; migrate_hot with weights 0 (every region scores 0, min_score 0).
        var bed = new SchemeBed(10, 10 * MiB);
        bed.TestOps.IsAccessed = static (_, _) => true;
        var s = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue),
            DamosAction.MigrateHot, quota: new DamosQuota { ResetIntervalMs = 1000 }, targetNid: 0));
        var goal = new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemUsedBp, 9970) { Nid = 0 };
        s.Quota.Goals.Add(goal);
        bed.Start();

        // esz_bp starts at 0, fed as max(esz_bp, 10000); esz = esz_bp / 10000, no sz cap.
        // Windows 0-11, node 0 0 bp used: score 0, so each window doubles: esz_bp = 10000 * 2^(k+1).
        // Windows 12-13, 4985 bp used: score = mulfrac(4985, 10000, 9970) = 5000, next = last * 1.5:
        //   40_960_000 -> 61_440_000 -> 92_160_000.
        // Windows 14-16, 10000 bp used: score = mulfrac(10000, 10000, 9970) = 10030, over-achieved
        //   by 30: next = last - last * 30 / 10000:
        //   92_160_000 - 276_480 = 91_883_520; - 275_650 = 91_607_870; - 274_823 = 91_333_047.
        // Window 17, 9970 bp used: score 10000, unchanged.
        ulong[] usedBp = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4985, 4985, 10000, 10000, 10000, 9970];
        ulong[] expectEsz = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 6144, 9216, 9188, 9160, 9133, 9133];
        for (int k = 0; k < usedBp.Length; k++)
        {
            bed.Metrics.SetNodeUsedBp(0, usedBp[k]);
            bed.RunUntilMs(WindowStartMs(k));
            Assert.Equal(usedBp[k], goal.CurrentValue);
            Assert.Equal(expectEsz[k], s.Quota.Esz);

            // Below min_region_sz the quota counts as full (G2): nothing is applied until window
            // 11, whose 4096 bytes are cut from the first region.
            // The scheme is skipped as a whole (not even tried with 0 bytes).
            if (k == 10)
                Assert.Equal(0UL, s.Stat.NrTried);
            if (k == 11)
                Assert.Equal([new AddrRange(0, 4096)], bed.AppliedRanges());
        }
    }

    [Fact]
    public void Temporal_tuner_runs_at_full_size_quota_until_the_goal_is_reached_then_stops()
    {
        // Goal: node 0 50% free (node_mem_free_bp 5000). Size quota 10 MiB per 1000 ms, regions
        // all cold 99 (weights 0).
        var bed = new SchemeBed(10, 10 * MiB);
        var s = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue),
            DamosAction.Pageout,
            quota: new DamosQuota { Sz = 10 * MiB, ResetIntervalMs = 1000, GoalTuner = DamosQuotaGoalTuner.Temporal }));
        s.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemFreeBp, 5000) { Nid = 0 });

        // Window 0: 20% free, score mulfrac(2000, 10000, 5000) = 4000 < 10000: esz_bp = sz * 10000,
        // esz = 10 MiB: [0, 10M) is applied and the quota is full, resume at 10 MiB.
        bed.Metrics.SetNodeUsedBp(0, 8000);
        bed.Start();
        bed.RunUntilMs(WindowStartMs(0));
        Assert.Equal(10 * MiB, s.Quota.Esz);
        Assert.Equal([new AddrRange(0, 10 * MiB)], bed.AppliedRanges());

        // Window 1: 60% free, score 12000 >= 10000: esz_bp = 0, esz = 0 — the quota is set (sz)
        // and full from the start, so nothing is applied all window.
        bed.Metrics.SetNodeUsedBp(0, 4000);
        bed.RunUntilMs(WindowStartMs(1) + 999);
        Assert.Equal(0UL, s.Quota.Esz);
        Assert.Single(bed.TestOps.Applied);
        Assert.Equal(1UL, s.Stat.QtExceeds);

        // Window 2: 20% free again: 10 MiB, resuming after [0, 10M). Window 1 counts as ended full.
        bed.Metrics.SetNodeUsedBp(0, 8000);
        bed.RunUntilMs(WindowStartMs(2));
        Assert.Equal(10 * MiB, s.Quota.Esz);
        Assert.Equal(2UL, s.Stat.QtExceeds);
        Assert.Equal([new AddrRange(10 * MiB, 20 * MiB)], bed.AppliedRanges(1));
    }
}
