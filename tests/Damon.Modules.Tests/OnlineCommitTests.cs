using Damon.Core;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.LruSort;
using Damon.Modules.Reclaim;
using Damon.Modules.Tier;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests;

/// <summary>
/// Modules started on an engine and re-committed while running (commit_inputs: damon_call →
/// damon_*_apply_parameters → damon_commit_ctx): the running schemes keep their identity and
/// stats, and take the new parameters.
/// </summary>
public class OnlineCommitTests
{
    /// <summary>Nothing is accessed, free memory 30%: RECLAIM's watermarks (20..50%) keep it active.</summary>
    private static (ModuleBed Bed, ReclaimModule Module) StartReclaim()
    {
        var bed = new ModuleBed();
        var p = ReclaimParams.Default with { MinAgeUs = 200_000 };
        var module = new ReclaimModule(p, Flat(40 * MiB), bed.Metrics, seed: 11);
        bed.Driver.Add(module.Start(bed.Engine));
        return (bed, module);
    }

    [Fact]
    public void Reclaim_runs_exclusively_and_publishes_its_scheme_stats()
    {
        var (bed, module) = StartReclaim();
        Assert.True(module.IsRunning);
        Assert.Equal("kdamond.0", module.KdamondName);
        Assert.Equal(Errno.EBUSY, Assert.Throws<DamonException>(() =>
            new TierModule(TierParams.Default, Flat(40 * MiB)).Start(bed.Engine)).Errno);

        // Schemes apply at 100 ms aggregation boundaries; the repeat call runs in the iterations
        // after the one at 1000 ms, so by 1010 ms the stats parameters caught up.
        bed.RunUntilMs(1010);
        var s = Assert.Single(module.Ctx!.Schemes);
        Assert.True(s.Stat.NrTried > 0);
        Assert.Equal(s.Stat.NrTried, module.Stats.NrTried);
        Assert.Equal(s.Stat.SzTried, module.Stats.BytesTried);
        Assert.Equal(s.Stat.SzApplied, module.Stats.BytesApplied);
        Assert.Equal(
            ["nr_reclaim_tried_regions", "bytes_reclaim_tried_regions", "nr_reclaimed_regions", "bytes_reclaimed_regions", "nr_quota_exceeds"],
            module.NamedStats.Select(kv => kv.Key));
        Assert.Equal(module.Stats.NrApplied, module.NamedStats[2].Value);

        module.Stop();
        bed.RunUntilMs(1100);
        Assert.False(module.IsRunning);
        Assert.Null(module.KdamondName);
    }

    [Fact]
    public void Reclaim_recommit_keeps_the_running_scheme_and_its_stats_and_applies_the_new_parameters()
    {
        var (bed, module) = StartReclaim();
        bed.RunUntilMs(1000);
        var scheme = Assert.Single(module.Ctx!.Schemes);
        var target = Assert.Single(module.Ctx.Targets);
        ulong triedBefore = scheme.Stat.NrTried;
        Assert.True(triedBefore > 0);

        module.Params = module.Params with
        {
            MinAgeUs = 500_000,
            Quota = new ModuleQuota { Ms = 10, Sz = 4 * MiB, ResetIntervalMs = 1000 },
            SkipAnon = true,
            QuotaAutotuneFeedback = 5000,
        };
        var commit = module.CommitInputs();
        bed.RunUntilMs(1010);
        Assert.True(commit.Task.IsCompletedSuccessfully);

        Assert.Same(scheme, Assert.Single(module.Ctx.Schemes));
        Assert.Same(target, Assert.Single(module.Ctx.Targets));
        Assert.True(scheme.Stat.NrTried >= triedBefore);
        Assert.Equal(5u, scheme.Pattern.MinAgeRegion);
        Assert.Equal(4 * MiB, scheme.Quota.Sz);
        var f = Assert.Single(scheme.OpsFilters);
        Assert.Equal((DamosFilterType.Anon, true, false), (f.Type, f.Matching, f.Allow));
        var g = Assert.Single(scheme.Quota.Goals);
        Assert.Equal((DamosQuotaGoalMetric.UserInput, 5000UL), (g.Metric, g.CurrentValue));

        bed.RunUntilMs(2000);
        Assert.True(scheme.Stat.NrTried > triedBefore);
        bed.Driver.StopAll();
    }

    [Fact]
    public void An_invalid_recommit_fails_the_call_and_leaves_the_running_context_as_it_was()
    {
        var (bed, module) = StartReclaim();
        bed.RunUntilMs(500);
        var scheme = module.Ctx!.Schemes[0];
        module.Params = module.Params with { AddrUnit = 3, Quota = new ModuleQuota { Ms = 1, Sz = 1, ResetIntervalMs = 1 } };
        var commit = module.Kdamond!.Call(module.Apply);
        bed.RunUntilMs(510);
        var e = Assert.IsType<ModuleParamException>(commit.Task.Exception!.InnerException);
        Assert.Equal("addr_unit", e.Field);
        Assert.Equal(128 * MiB, scheme.Quota.Sz);
        Assert.Equal(1UL, module.Ctx.AddrUnit);
        bed.RunUntilMs(1000);
        Assert.True(module.IsRunning);
        bed.Driver.StopAll();
    }

    [Fact]
    public void Lru_sort_recommit_adds_goals_and_young_filters_to_the_running_schemes()
    {
        var bed = new ModuleBed { Metrics = { FreeMemRate = 100 } }; // between LRU_SORT's 5% and 20%
        var module = new LruSortModule(LruSortParams.Default with { ColdMinAgeUs = 300_000 }, Flat(40 * MiB), bed.Metrics, seed: 2);
        bed.Driver.Add(module.Start(bed.Engine));
        bed.RunUntilMs(1000);
        var hot = module.Ctx!.Schemes[0];
        var cold = module.Ctx.Schemes[1];
        Assert.True(cold.Stat.NrTried > 0);
        Assert.Equal(0UL, hot.Stat.NrTried);
        Assert.Equal(cold.Stat.NrTried, module.ColdStats.NrTried);
        ulong coldTried = cold.Stat.NrTried;

        module.Params = module.Params with { FilterYoungPages = true, ActiveMemBp = 6000 };
        var commit = module.CommitInputs();
        bed.RunUntilMs(1010);
        Assert.True(commit.Task.IsCompletedSuccessfully);
        Assert.Same(hot, module.Ctx.Schemes[0]);
        Assert.Same(cold, module.Ctx.Schemes[1]);
        Assert.True(cold.Stat.NrTried >= coldTried);
        Assert.Equal((DamosFilterType.Young, false, false), (hot.OpsFilters[0].Type, hot.OpsFilters[0].Matching, hot.OpsFilters[0].Allow));
        Assert.Equal((DamosFilterType.Young, true, false), (cold.OpsFilters[0].Type, cold.OpsFilters[0].Matching, cold.OpsFilters[0].Allow));
        Assert.Equal(4002UL, cold.Quota.Goals[0].TargetValue);
        bed.Driver.StopAll();
    }

    [Fact]
    public void Tier_recommit_retargets_the_running_goals_and_nodes()
    {
        var bed = new ModuleBed { Metrics = { FreeMemRate = 100 } };
        // Node 0 full: the demote goal (40 bp free) is missed, so its quota grows from the
        // feedback loop's 1-byte start, doubling each second, until a page fits (~13 s).
        bed.Metrics.Nodes[0] = (64 * MiB, 0);
        bed.Metrics.Nodes[1] = (64 * MiB, 64 * MiB);
        var module = new TierModule(TierParams.Default, Flat(64 * MiB), bed.Metrics, seed: 4);
        bed.Driver.Add(module.Start(bed.Engine));
        bed.RunUntilMs(16_000);
        var promote = module.Ctx!.Schemes[0];
        var demote = module.Ctx.Schemes[1];
        // Nothing is accessed: only demotion is tried, once a second.
        Assert.Equal(0UL, promote.Stat.NrTried);
        Assert.True(demote.Stat.NrTried > 0);

        module.Params = module.Params with { PromoteTargetNid = 1, DemoteTargetNid = 0, PromoteTargetMemUsedBp = 5000 };
        module.CommitInputs();
        bed.RunUntilMs(16_010);
        // No apply round since 16 s: the repeat call has caught up with the schemes' stats.
        Assert.Equal(demote.Stat.NrTried, module.DemoteStats.NrTried);
        Assert.Equal(demote.Stat.SzTried, module.DemoteStats.BytesTried);
        Assert.Same(promote, module.Ctx.Schemes[0]);
        Assert.Equal((1, 0), (promote.TargetNid, demote.TargetNid));
        Assert.Equal((5000UL, 1), (promote.Quota.Goals[0].TargetValue, promote.Quota.Goals[0].Nid));
        Assert.Equal(1, demote.Quota.Goals[0].Nid);
        Assert.Equal(
            ["nr_promote_tried_regions", "bytes_promote_tried_regions", "nr_promoted_regions", "bytes_promoted_regions", "nr_promote_quota_exceeds",
             "nr_demote_tried_regions", "bytes_demote_tried_regions", "nr_demoted_regions", "bytes_demoted_regions", "nr_demote_quota_exceeds"],
            module.NamedStats.Select(kv => kv.Key));
        bed.Driver.StopAll();
    }
}
