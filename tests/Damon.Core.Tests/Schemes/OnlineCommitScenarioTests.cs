using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// Online updates (spec §2.13 damon_commit_ctx): parameters are staged in a separate context and
/// committed into the running one from a damon_call, so the kdamond changes them between two
/// samples. Schemes are committed by index: the i-th running scheme keeps its identity, stats and
/// schedule; surplus running schemes are removed and surplus staged ones added.
/// </summary>
public class OnlineCommitScenarioTests
{
    private static readonly DamosAccessPattern Unaccessed = new(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue);

    /// <summary>The staged context: same ops, attrs and target count as the running one; the target has no regions, so the running target keeps its own.</summary>
    private static DamonContext Staged(DamonContext running, params Damos[] schemes)
    {
        var src = new DamonContext { Ops = running.Ops, MinRegionSz = running.MinRegionSz };
        src.AddTarget(new Target());
        DamonCore.SetAttrs(src, running.Attrs with { AggrSamples = 0 });
        src.Schemes.AddRange(schemes);
        return src;
    }

    [Fact]
    public void A_scheme_is_added_changed_and_removed_on_a_running_context_keeping_the_unchanged_ones_stats()
    {
        var bed = new SchemeBed(4, 10 * MiB);
        var s0 = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        var s1 = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout));
        var t = bed.Target;
        bed.Start();

        // Rounds at 100, 200, 300 ms.
        bed.RunUntilMs(300);
        Assert.Equal(12UL, s0.Stat.NrTried);
        Assert.Equal(12UL, s1.Stat.NrTried);

        // Stage: s0 unchanged, s1 becomes cold every 200 ms, a new lru_deprio scheme. The call
        // runs at 305 ms (passed 61): the new scheme is scheduled from then, 20 samples on
        // (passed 81, 405 ms); s1 keeps its next round (passed 80) and only then moves to 200 ms.
        var commit = bed.Kdamond.Call(ctx => DamonCore.CommitCtx(ctx, Staged(ctx,
            new Damos(DamosAccessPattern.Any, DamosAction.Stat),
            new Damos(Unaccessed, DamosAction.Cold, applyIntervalUs: 200_000),
            new Damos(DamosAccessPattern.Any, DamosAction.LruDeprio))));
        bed.RunUntilMs(500);
        Assert.True(commit.Task.IsCompletedSuccessfully);
        Assert.Equal(3, bed.Ctx.Schemes.Count);
        Assert.Same(s0, bed.Ctx.Schemes[0]);
        Assert.Same(s1, bed.Ctx.Schemes[1]);
        var s2 = bed.Ctx.Schemes[2];
        Assert.Equal(DamosAction.Cold, s1.Action);
        Assert.Equal(DamosAction.LruDeprio, s2.Action);
        // s0: rounds at 400 and 500; s1: 400 only (next at 600); s2: 405 only (next at 505).
        Assert.Equal(20UL, s0.Stat.NrTried);
        Assert.Equal(16UL, s1.Stat.NrTried);
        Assert.Equal(4UL, s2.Stat.NrTried);
        Assert.Equal(12, bed.TestOps.Applied.Count(a => a.Action == DamosAction.Pageout));
        Assert.Equal(4, bed.TestOps.Applied.Count(a => a.Action == DamosAction.Cold));
        Assert.Equal(4, bed.TestOps.Applied.Count(a => a.Action == DamosAction.LruDeprio));
        // The staged target had no regions: the running one kept its own.
        Assert.Same(t, Assert.Single(bed.Ctx.Targets));
        Assert.Equal(EvenRanges(0, 4, 10 * MiB), bed.Regions().Select(r => r.Range));

        // Stage only s0: s1 and s2 are removed at 505 ms; s0 goes on counting.
        int nrAppliedBefore = bed.TestOps.Applied.Count;
        bed.Kdamond.Call(ctx => DamonCore.CommitCtx(ctx, Staged(ctx, new Damos(DamosAccessPattern.Any, DamosAction.Stat))));
        bed.RunUntilMs(700);
        Assert.Same(s0, Assert.Single(bed.Ctx.Schemes));
        Assert.Equal(28UL, s0.Stat.NrTried);
        Assert.All(bed.TestOps.Applied.Skip(nrAppliedBefore), a => Assert.Equal(DamosAction.Stat, a.Action));
        Assert.Equal(8, bed.TestOps.Applied.Count - nrAppliedBefore);
    }
}
