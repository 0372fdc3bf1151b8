using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// DamonContext.DamosShared (DAMON-X's conflict rule): a region moved by one scheme is not offered
/// to a later moving scheme in the same round, and only a move resets its age.
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

    private static Damos Scheme(DamosAction action, uint minAge) => new(Cold(minAge), action);

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
        var (ctx, ops, r) = Bed(shared: true, Scheme(DamosAction.LruDeprio, 10), Scheme(DamosAction.Pageout, 10));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal(
            [new AppliedAction(0, DamosAction.LruDeprio, 0, MiB, MiB), new AppliedAction(0, DamosAction.Pageout, 0, MiB, MiB)],
            ops.Applied);
        Assert.Equal(0u, r.Age);
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
    public void Shared_a_mover_that_applied_nothing_neither_claims_the_region_nor_resets_its_age()
    {
        var demote = Scheme(DamosAction.MigrateCold, 0);
        demote.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: false, allow: false)); // every page is not anon here
        // Page out only what is still 50 aggregations old: it is offered the region only if the
        // demotion neither claimed it nor reset its age.
        var (ctx, ops, _) = Bed(shared: true, demote, Scheme(DamosAction.Pageout, 50));
        DamosCore.ApplySchemes(ctx);
        Assert.Equal(
            [new AppliedAction(0, DamosAction.MigrateCold, 0, MiB, 0), new AppliedAction(0, DamosAction.Pageout, 0, MiB, MiB)],
            ops.Applied);
    }
}
