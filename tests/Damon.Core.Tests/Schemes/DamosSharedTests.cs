using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// DamonContext.DamosShared (DAMON-X's conflict rule): a region moved by one scheme is not offered
/// to a later moving scheme in the same round, and an action restarts only the age its own
/// module (<see cref="Damos.AgeOwner"/>) sees.
/// </summary>
public class DamosSharedTests
{
    private const ulong MiB = 1UL << 20;

    private static DamosAccessPattern Cold(uint minAge) => new(4096, ulong.MaxValue, 0, 0, minAge, uint.MaxValue);

    /// <summary>One unaccessed 1 MiB region of age 50, and the schemes, all due now.</summary>
    private static (DamonContext Ctx, TestOperations Ops, Region R) Bed(bool shared, params Damos[] schemes)
    {
        var ops = new TestOperations(OperationsId.Paddr);
        var ctx = new DamonContext(1) { Ops = ops, DamosShared = shared };
        var t = new Target();
        ctx.AddTarget(t);
        var r = t.NewRegion(0, MiB);
        t.AddRegion(r);
        r.Age = 50;
        ctx.Schemes.AddRange(schemes);
        return (ctx, ops, r);
    }

    private static Damos Scheme(DamosAction action, uint minAge, int owner = -1) => new(Cold(minAge), action) { AgeOwner = owner };

    [Fact]
    public void Shared_a_region_demoted_is_not_paged_out_in_the_same_round()
    {
        var (ctx, ops, r) = Bed(shared: true, Scheme(DamosAction.MigrateCold, 0), Scheme(DamosAction.Pageout, 0));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal([new AppliedAction(0, DamosAction.MigrateCold, 0, MiB, MiB)], ops.Applied);
        Assert.Equal(0UL, ctx.Schemes[1].Stat.NrTried);
        Assert.Equal(0u, r.Age);
    }

    [Fact]
    public void Alone_both_movers_apply_to_the_region_as_the_kernel_does()
    {
        var (ctx, ops, _) = Bed(shared: false, Scheme(DamosAction.MigrateCold, 0), Scheme(DamosAction.Pageout, 0));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal(
            [new AppliedAction(0, DamosAction.MigrateCold, 0, MiB, MiB), new AppliedAction(0, DamosAction.Pageout, 0, MiB, MiB)],
            ops.Applied);
    }

    [Fact]
    public void Shared_an_lru_hint_keeps_the_age_another_modules_pattern_needs()
    {
        var (ctx, ops, r) = Bed(shared: true, Scheme(DamosAction.LruDeprio, 10, owner: 0), Scheme(DamosAction.Pageout, 10, owner: 1));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal(
            [new AppliedAction(0, DamosAction.LruDeprio, 0, MiB, MiB), new AppliedAction(0, DamosAction.Pageout, 0, MiB, MiB)],
            ops.Applied);
        // Each owner's own action restarted its own age; the monitoring's age is untouched.
        Assert.Equal((50u, 0u, 0u), (r.Age, RegionOwnAges.Of(r, 0), RegionOwnAges.Of(r, 1)));
    }

    [Fact]
    public void Shared_another_modules_move_leaves_the_age_this_module_sees()
    {
        // Owner 0 demotes (moving the pages); owner 1's pageout is not offered the region this
        // round, but its age stays 50, as in its own kdamond.
        var (ctx, ops, r) = Bed(shared: true, Scheme(DamosAction.MigrateCold, 0, owner: 0), Scheme(DamosAction.Pageout, 50, owner: 1));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal([new AppliedAction(0, DamosAction.MigrateCold, 0, MiB, MiB)], ops.Applied);
        Assert.Equal((0u, 50u), (RegionOwnAges.Of(r, 0), RegionOwnAges.Of(r, 1)));
        // Next round: the demotion's own age restarted, so a demotion asking for age 10 would wait;
        // the pageout still matches.
        ctx.Schemes[0].Pattern = Cold(10);
        ops.Applied.Clear();
        ctx.PassedSampleIntervals = ctx.Schemes.Max(s => s.NextApplySis); // the next round is due
        DamosCore.ApplySchemes(ctx);
        Assert.Equal([new AppliedAction(0, DamosAction.Pageout, 0, MiB, MiB)], ops.Applied);
    }

    [Fact]
    public void Owner_ages_follow_the_monitoring_through_aging_split_and_merge()
    {
        var t = new Target();
        var l = t.NewRegion(0, MiB);
        t.AddRegion(l);
        l.Age = 40;
        RegionOwnAges.ResetOwner(l, 1); // owner 0 sees 40, owner 1 sees 0
        var tail = DamonCore.SplitRegionAt(t, l, MiB / 4);
        Assert.Equal((40u, 0u), (RegionOwnAges.Of(tail, 0), RegionOwnAges.Of(tail, 1)));
        RegionOwnAges.ResetOwner(tail, 0); // tail: owner 0 sees 0, owner 1 sees 0
        // Size-weighted per owner, as damon_merge_two_regions weights the age: 1/4 at 40, 3/4 at 0.
        DamonCore.MergeTwoRegions(t, l, tail);
        Assert.Equal((40u, 10u, 0u), (l.Age, RegionOwnAges.Of(l, 0), RegionOwnAges.Of(l, 1)));
        // An owner never seen has the monitoring's age.
        Assert.Equal(40u, RegionOwnAges.Of(l, 5));
    }

    [Fact]
    public void A_scheme_whose_target_filters_reject_a_target_skips_its_regions_untouched()
    {
        var ops = new TestOperations(OperationsId.Paddr);
        var ctx = new DamonContext(1) { Ops = ops, DamosShared = true };
        foreach (var (start, end) in new[] { (0UL, MiB), (MiB, 2 * MiB) })
        {
            var t = new Target();
            ctx.AddTarget(t);
            var r = t.NewRegion(start, end);
            t.AddRegion(r);
            r.Age = 50;
        }
        var pageout = Scheme(DamosAction.Pageout, 0, owner: 0);
        pageout.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: true) { TargetIdx = 1 });
        DamosCore.SetFiltersDefaultReject(pageout); // the last filter allows: the rest is rejected
        ctx.Schemes.Add(pageout);
        Assert.True(DamosCore.CoreFiltersRejectTarget(ctx, ctx.Targets[0], pageout));
        Assert.False(DamosCore.CoreFiltersRejectTarget(ctx, ctx.Targets[1], pageout));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal([new AppliedAction(1, DamosAction.Pageout, MiB, 2 * MiB, MiB)], ops.Applied);
        // The foreign target's region was neither tried nor aged afresh for the scheme.
        Assert.Equal((1UL, MiB), (pageout.Stat.NrTried, pageout.Stat.SzTried));
        // Both targets' last regions were visited (damon_do_apply_schemes' nr_snapshots), the foreign one too.
        Assert.Equal(2UL, pageout.Stat.NrSnapshots);
        Assert.Equal(50u, RegionOwnAges.Of(ctx.Targets[0].FirstRegion!, 0));
        // An addr filter is decided per region: no target-wide verdict.
        var byAddr = Scheme(DamosAction.Pageout, 0);
        byAddr.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: true) { AddrRange = new AddrRange(MiB, 2 * MiB) });
        Assert.False(DamosCore.CoreFiltersRejectTarget(ctx, ctx.Targets[0], byAddr));
    }

    [Fact]
    public void Alone_an_lru_hint_resets_the_age_so_pageout_waits()
    {
        var (ctx, ops, r) = Bed(shared: false, Scheme(DamosAction.LruDeprio, 10), Scheme(DamosAction.Pageout, 10));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal([new AppliedAction(0, DamosAction.LruDeprio, 0, MiB, MiB)], ops.Applied);
        Assert.Equal(0u, r.Age);
    }

    [Fact]
    public void Shared_a_mover_that_applied_nothing_neither_claims_the_region_nor_resets_the_other_modules_age()
    {
        var demote = Scheme(DamosAction.MigrateCold, 0, owner: 0);
        demote.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: false, allow: false)); // every page is not anon here
        // Page out only what is still 50 aggregations old: it is offered the region only if the
        // demotion neither claimed it nor reset its age.
        var (ctx, ops, _) = Bed(shared: true, demote, Scheme(DamosAction.Pageout, 50, owner: 1));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal(
            [new AppliedAction(0, DamosAction.MigrateCold, 0, MiB, 0), new AppliedAction(0, DamosAction.Pageout, 0, MiB, MiB)],
            ops.Applied);
    }
}
