using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.LruSort;
using Damon.Modules.Reclaim;
using Damon.Modules.Shared;
using Damon.Modules.Stat;
using Damon.Modules.Tier;
using Xunit;
using static Damon.Modules.Tests.ModuleBed;

namespace Damon.Modules.Tests.Shared;

/// <summary>
/// DAMON-X: modules attached to one context, installed, removed and re-tuned on the running
/// kdamond; the others' schemes keep their identity, stats and quota state.
/// </summary>
public class SharedContextTests
{
    private static readonly StaticMemoryLayout Machine = Flat(40 * MiB);

    /// <summary>
    /// Nothing accessed; node 0 full, so TIER's demotion goal (0.4 % free) is missed and its quota grows.
    /// </summary>
    private static ModuleBed Bed()
    {
        var bed = new ModuleBed { Metrics = { FreeMemRate = 300 } };
        bed.Metrics.Nodes[0] = (40 * MiB, 0);
        return bed;
    }

    /// <summary>The modules' watermark bands do not overlap (RECLAIM 20..40 %, LRU_SORT and TIER 5..15 %): opened up.</summary>
    private static readonly Common.ModuleWatermarks Open = new() { IntervalUs = 5_000_000, High = 1000, Mid = 999, Low = 0 };

    private static ReclaimModule Reclaim(ModuleBed bed) => new(ReclaimParams.Default with { MinAgeUs = 200_000, Wmarks = Open }, Machine, bed.Metrics, 1);
    private static LruSortModule LruSort(ModuleBed bed) => new(LruSortParams.Default with { ColdMinAgeUs = 300_000, Wmarks = Open }, Machine, bed.Metrics, 2);
    private static TierModule Tier(ModuleBed bed) => new(TierParams.Default with { Wmarks = Open }, Machine, bed.Metrics, 3);

    private static DamosAction[] Actions(SharedContext shared) => [.. shared.Ctx!.Schemes.Select(s => s.Action)];

    /// <summary>A fresh bed with <paramref name="modules"/> (made on it) installed in order and the shared kdamond started on it.</summary>
    private static (ModuleBed Bed, SharedContext Shared, Kdamond Kdamond) Started(params Func<ModuleBed, ISharedModule>[] modules)
    {
        var bed = Bed();
        var shared = new SharedContext(bed.Metrics, seed: 5);
        foreach (var make in modules)
            shared.Install(make(bed));
        var kdamond = shared.Start(bed.Engine);
        bed.Driver.Add(kdamond);
        return (bed, shared, kdamond);
    }

    [Fact]
    public void Four_modules_run_in_one_context_ordered_by_the_conflict_rule_with_one_set_of_attributes()
    {
        var bed = Bed();
        var shared = new SharedContext(bed.Metrics, seed: 5);
        var reclaim = Reclaim(bed);
        var stat = new StatModule(StatParams.Default, Machine);
        // Attach order is not the order of the schemes: promotion, pageout, demotion, then hints.
        shared.Install(new LruSortModule(LruSortParams.Default, Machine, bed.Metrics));
        shared.Install(reclaim);
        shared.Install(stat);
        shared.Install(Tier(bed));
        bed.Driver.Add(shared.Start(bed.Engine));

        Assert.Equal([DamosAction.MigrateHot, DamosAction.Pageout, DamosAction.MigrateCold, DamosAction.LruPrio, DamosAction.LruDeprio], Actions(shared));
        // Every module sees its own ages: one owner per module, in attach order (STAT's has no schemes).
        Assert.Equal([3, 1, 3, 0, 0], shared.Ctx!.Schemes.Select(s => s.AgeOwner));
        Assert.True(shared.Ctx!.DamosShared);
        Assert.Equal([DamosAction.Pageout], shared.SchemesOf(reclaim).Select(s => s.Action));
        Assert.Empty(shared.SchemesOf(stat));
        var t = Assert.Single(shared.Ctx.Targets);
        Assert.Equal((0UL, 40 * MiB), (t.FirstRegion!.Start, t.LastRegion!.End));
        // RECLAIM, LRU_SORT and TIER fix 5 ms / 100 ms; STAT's 60 s ops update is the only non-zero one;
        // STAT alone asks for tuning, so the union does not tune.
        var a = shared.Ctx.Attrs;
        Assert.Equal((5_000UL, 100_000UL, 60_000_000UL, 10UL, 1000UL, 0u), (a.SampleIntervalUs, a.AggrIntervalUs, a.OpsUpdateIntervalUs, a.MinNrRegions, a.MaxNrRegions, a.IntervalsGoal.Aggrs));
        Assert.Equal(Errno.EBUSY, Assert.Throws<DamonException>(() => shared.Install(Reclaim(bed)).Wait()).Errno);

        bed.RunUntilMs(6_010);
        Assert.Equal(shared.SchemesOf(reclaim)[0].Stat.SzApplied, reclaim.Stats.BytesApplied);
        Assert.True(reclaim.Stats.BytesApplied > 0);
        Assert.Equal(100_000UL, stat.Results.AggrIntervalUs);
        bed.Driver.StopAll();
    }

    [Fact]
    public void Installing_and_removing_at_run_time_keeps_the_other_modules_schemes_and_stats()
    {
        var (bed, shared, kdamond) = Started(Reclaim, LruSort);
        var (reclaim, lru) = ((ReclaimModule)shared.Modules[0], (LruSortModule)shared.Modules[1]);
        bed.RunUntilMs(1000);
        var pageout = shared.Ctx!.Schemes[0];
        var (hot, cold) = (shared.Ctx.Schemes[1], shared.Ctx.Schemes[2]);
        Assert.Equal([DamosAction.Pageout, DamosAction.LruPrio, DamosAction.LruDeprio], Actions(shared));
        ulong pageoutTried = pageout.Stat.NrTried, coldTried = cold.Stat.NrTried;
        Assert.True(pageoutTried > 0 && coldTried > 0);

        // TIER's promotion goes in front, its demotion after pageout: a plain by-index commit would
        // hand RECLAIM's and LRU_SORT's stats to them.
        var tier = Tier(bed);
        var install = shared.Install(tier);
        Assert.False(install.IsCompleted);
        bed.RunUntilMs(1010);
        Assert.True(install.IsCompletedSuccessfully);
        Assert.Equal([DamosAction.MigrateHot, DamosAction.Pageout, DamosAction.MigrateCold, DamosAction.LruPrio, DamosAction.LruDeprio], Actions(shared));
        Assert.Same(pageout, shared.Ctx.Schemes[1]);
        Assert.Same(hot, shared.Ctx.Schemes[3]);
        Assert.Same(cold, shared.Ctx.Schemes[4]);
        Assert.Equal((0UL, 0UL), (shared.Ctx.Schemes[0].Stat.NrTried, shared.Ctx.Schemes[2].Stat.NrTried));
        Assert.True(pageout.Stat.NrTried >= pageoutTried && cold.Stat.NrTried >= coldTried);
        Assert.Same(kdamond, shared.Kdamond);

        var removeLru = shared.Remove(lru);
        bed.RunUntilMs(1020);
        Assert.True(removeLru.IsCompletedSuccessfully);
        Assert.Equal([DamosAction.MigrateHot, DamosAction.Pageout, DamosAction.MigrateCold], Actions(shared));
        Assert.Same(pageout, shared.Ctx.Schemes[1]);
        Assert.Empty(shared.SchemesOf(lru));

        var promote = shared.Ctx.Schemes[0];
        var removeTier = shared.Remove(tier);
        bed.RunUntilMs(1030);
        Assert.True(removeTier.IsCompletedSuccessfully);
        Assert.Same(pageout, Assert.Single(shared.Ctx.Schemes));
        Assert.True(pageout.Stat.NrTried >= pageoutTried);
        Assert.DoesNotContain(promote, shared.Ctx.Schemes);
        Assert.Equal([reclaim], shared.Modules);

        bed.RunUntilMs(2000);
        Assert.True(pageout.Stat.NrTried > pageoutTried);
        Assert.True(kdamond.Running);
        bed.Driver.StopAll();
    }

    [Fact]
    public void Retuning_one_module_changes_its_scheme_in_place_and_leaves_the_others_quota_state()
    {
        var (bed, shared, _) = Started(Reclaim, Tier);
        var reclaim = (ReclaimModule)shared.Modules[0];
        bed.RunUntilMs(3000);
        var (promote, pageout, demote) = (shared.Ctx!.Schemes[0], shared.Ctx.Schemes[1], shared.Ctx.Schemes[2]);
        ulong demoteEsz = demote.Quota.Esz, demoteTried = demote.Stat.NrTried, pageoutTried = pageout.Stat.NrTried;
        Assert.True(demoteEsz > 0);

        reclaim.Params = reclaim.Params with { MinAgeUs = 500_000 };
        var retune = shared.Retune(reclaim);
        // The commit runs in the kdamond's next iteration (5 ms later), before pageout (every
        // 100 ms) or demotion (every second, quota window 1 s) run again: their state is exact.
        bed.RunUntilMs(3006);
        Assert.True(retune.IsCompletedSuccessfully);
        Assert.Same(pageout, shared.Ctx.Schemes[1]);
        Assert.Equal(5u, pageout.Pattern.MinAgeRegion);
        Assert.Equal(pageoutTried, pageout.Stat.NrTried);
        Assert.Same(promote, shared.Ctx.Schemes[0]);
        Assert.Same(demote, shared.Ctx.Schemes[2]);
        Assert.Equal(demoteEsz, demote.Quota.Esz);
        Assert.Equal(demoteTried, demote.Stat.NrTried);
        bed.Driver.StopAll();
    }

    [Fact]
    public void A_rejected_retune_is_refused_at_once_and_leaves_the_running_schemes()
    {
        var (bed, shared, _) = Started(Reclaim, LruSort);
        var (reclaim, lru) = ((ReclaimModule)shared.Modules[0], (LruSortModule)shared.Modules[1]);
        bed.RunUntilMs(500);
        var before = shared.Ctx!.Schemes.ToList();
        reclaim.Params = reclaim.Params with { AddrUnit = 2 };
        // Staged before the kdamond's call is queued: the caller sees the refusal, no task faults unseen.
        var e = Assert.Throws<Common.ModuleParamException>(() => { _ = shared.Retune(reclaim); });
        bed.RunUntilMs(510);
        Assert.Equal("addr_unit", e.Field);
        Assert.Equal(before, shared.Ctx.Schemes);
        Assert.Equal([reclaim, lru], shared.Modules.Cast<object>());
        bed.Driver.StopAll();
    }

    [Fact]
    public void The_union_tunes_intervals_only_when_every_module_asks_toward_the_finest_goal()
    {
        var reclaimTuned = ModuleMonitoringAttrsOf(ReclaimParams.Default with { AutotuneMonitoringIntervals = true });
        var stat = StatModule.Attrs;
        var both = SharedAttrs.Union([reclaimTuned, stat]);
        Assert.Equal(new IntervalsGoal(40, 3, 5_000, 10_000_000), both.IntervalsGoal);
        Assert.Equal(60_000_000UL, both.OpsUpdateIntervalUs);
        var withFixed = SharedAttrs.Union([reclaimTuned, stat, TierParams.Default.MonAttrs.ToAttrs() with { SampleIntervalUs = 2_000, MaxNrRegions = 2000 }]);
        Assert.Equal(default, withFixed.IntervalsGoal);
        Assert.Equal((2_000UL, 100_000UL, 2000UL), (withFixed.SampleIntervalUs, withFixed.AggrIntervalUs, withFixed.MaxNrRegions));
    }

    private static MonitoringAttrs ModuleMonitoringAttrsOf(ReclaimParams p) => Common.ModuleMonitoringAttrs.Autotuned(p.MonAttrs.ToAttrs());

    [Fact]
    public void A_module_with_a_smaller_range_than_the_union_gets_target_filters_allowing_only_its_pieces()
    {
        var bed = Bed();
        var shared = new SharedContext(bed.Metrics, seed: 5);
        var reclaim = new ReclaimModule(ReclaimParams.Default with { Wmarks = Open, MonitorRegionStart = 0, MonitorRegionEnd = 16 * MiB }, Machine, bed.Metrics);
        shared.Install(reclaim);
        shared.Install(Tier(bed));
        bed.Driver.Add(shared.Start(bed.Engine));
        var pageout = Assert.Single(shared.SchemesOf(reclaim));
        var f = Assert.Single(pageout.CoreFilters);
        Assert.Equal((DamosFilterType.Target, true, true, 0), (f.Type, f.Matching, f.Allow, f.TargetIdx));
        Assert.True(DamosCore.CoreFiltersRejectTarget(shared.Ctx!, shared.Ctx!.Targets[1], pageout));
        Assert.All(shared.Ctx!.Schemes.Where(s => s.Action != DamosAction.Pageout), s => Assert.Empty(s.CoreFilters));
        // One target each side of RECLAIM's edge, so no region merges across it.
        Assert.Equal([(0UL, 16 * MiB), (16 * MiB, 40 * MiB)], shared.Ctx.Targets.Select(t => (t.FirstRegion!.Start, t.LastRegion!.End)));
        // RECLAIM's min 10 regions over 16 MiB of the 40 MiB union: 25 keep its size limit.
        Assert.Equal((25UL, 1000UL), (shared.Ctx.Attrs.MinNrRegions, shared.Ctx.Attrs.MaxNrRegions));
        bed.RunUntilMs(2000);
        Assert.All(shared.Ctx.Targets[0].Regions, r => Assert.True(r.End <= 16 * MiB));
        Assert.True(shared.Ctx.Targets[0].Regions.Count() >= 10);
        bed.Driver.StopAll();
    }

    [Fact]
    public void Region_bounds_scale_the_min_to_the_union_so_each_module_keeps_its_own_size_limit()
    {
        var ten = new MonitoringAttrs { MinNrRegions = 10, MaxNrRegions = 1000 };
        // 256 MiB of a 1280 MiB union (the bench's fast node): min 50; over the whole union: 10.
        Assert.Equal((50UL, 1000UL), SharedAttrs.RegionBounds([(ten, 256 * MiB), (ten, 1280 * MiB)], 1280 * MiB));
        Assert.Equal((10UL, 1000UL), SharedAttrs.RegionBounds([(ten, 1280 * MiB)], 1280 * MiB));
        // 3 x 1000 / 999 rounds up; a min above the max is held at the max.
        Assert.Equal((4UL, 1000UL), SharedAttrs.RegionBounds([(new MonitoringAttrs { MinNrRegions = 3, MaxNrRegions = 1000 }, 999)], 1000));
        Assert.Equal((10UL, 10UL), SharedAttrs.RegionBounds([(new MonitoringAttrs { MinNrRegions = 10, MaxNrRegions = 10 }, 50)], 100));
    }

    [Fact]
    public void The_union_is_cut_at_every_modules_range_boundary()
    {
        Assert.Equal(
            [new AddrRange(0, 10), new AddrRange(10, 20), new AddrRange(20, 30), new AddrRange(40, 45), new AddrRange(45, 50)],
            SharedAttrs.Pieces([new AddrRange(0, 30), new AddrRange(40, 50)], [[new AddrRange(0, 30), new AddrRange(40, 50)], [new AddrRange(10, 20), new AddrRange(45, 60)]]));
    }

    [Fact]
    public void Ranges_join_where_they_overlap_or_touch()
    {
        Assert.Equal(
            [new AddrRange(0, 30), new AddrRange(40, 50)],
            SharedAttrs.UnionRanges([new AddrRange(20, 30), new AddrRange(0, 10), new AddrRange(10, 25), new AddrRange(40, 50), new AddrRange(45, 45)]));
    }
}
