using Damon.Modules.Common;
using Damon.Modules.Reclaim;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests;

/// <summary>
/// enabled=N then enabled=Y: damon_reclaim_turn (and lru_sort's, and the TIER proposal's) stop
/// and start the module's one static ctx, applying the parameters with damon_commit_ctx, so the
/// schemes, their stats and their tuned quota survive the cycle.
/// </summary>
public class EnableCycleTests
{
    [Fact]
    public void Reclaim_disabled_and_reenabled_keeps_its_context_scheme_stats_and_tuned_quota()
    {
        var bed = new ModuleBed();
        // Feedback 5000 of a 10000 goal: score 5000, so each quota window multiplies esz_bp by 1.5
        // (damon_feed_loop_next_input: compensation = last * (10000 - 5000) / 10000). No time
        // quota, so esz = esz_bp / 10000 is not raised to min_region_sz.
        var p = ReclaimParams.Default with
        {
            MinAgeUs = 200_000,
            Quota = new ModuleQuota { Ms = 0, Sz = 128 * MiB, ResetIntervalMs = 1000 },
            QuotaAutotuneFeedback = 5000,
        };
        var module = new ReclaimModule(p, Flat(40 * MiB), bed.Metrics, seed: 11);
        bed.Driver.Add(module.Start(bed.Engine));
        var ctx = module.Ctx!;
        var scheme = Assert.Single(ctx.Schemes);

        // Windows start at the applies at 100, 1100, 2100 and 3100 ms: esz_bp 15000, 22500, 33750,
        // 50625, so esz 1, 2, 3, 5 bytes. Less than min_region_sz left is a full quota: nothing is
        // tried, and each window after the first counts one qt_exceeds (damos_adjust_quota).
        bed.RunUntilMs(3150);
        Assert.Equal(5UL, scheme.Quota.Esz);
        Assert.Equal(3UL, scheme.Stat.QtExceeds);
        var stats = module.Stats;
        Assert.Equal(3UL, stats.NrQuotaExceeds);

        module.Stop();
        bed.RunUntilMs(3200);
        Assert.False(module.IsRunning);

        bed.Driver.Add(module.Start(bed.Engine));
        Assert.Same(ctx, module.Ctx);
        Assert.Same(scheme, Assert.Single(ctx.Schemes));
        Assert.Equal(stats, module.Stats); // not reset to zero
        // The restarted kdamond applies every 100 ms from 3300 ms; the window begun at 3100 ms
        // goes on until the apply at 4100 ms, which tunes on from the kept esz_bp:
        // 50625 * 1.5 = 75937, esz 7. A new context would be in its first window (esz 1, no
        // qt_exceeds).
        bed.RunUntilMs(4050);
        Assert.Equal(5UL, scheme.Quota.Esz);
        bed.RunUntilMs(4150);
        Assert.Equal(7UL, scheme.Quota.Esz);
        Assert.Equal(4UL, scheme.Stat.QtExceeds);
        Assert.Equal(4UL, module.Stats.NrQuotaExceeds);
        bed.Driver.StopAll();
    }
}
