using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// Several schemes on one context (applied per region, in list order, spec §3.2 step 3) and
/// several contexts, each on its own intervals, under one virtual-time driver.
/// </summary>
public class MultiSchemeScenarioTests
{
    [Fact]
    public void Two_contexts_on_their_own_intervals_in_one_driver_and_two_schemes_in_list_order()
    {
        // A: four 10 MiB regions, sample 5 ms, aggregation 100 ms, one stat scheme.
        var a = new SchemeBed([EvenRanges(0, 4, 10 * MiB)]);
        var aStat = a.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        // B: three 4 MiB regions, sample 10 ms, aggregation 300 ms, stat then pageout.
        var b = new SchemeBed([EvenRanges(0, 3, 4 * MiB)], sampleUs: 10_000, aggrUs: 300_000, driver: a.Driver);
        var bStat = b.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        var bPageout = b.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue),
            DamosAction.Pageout));
        a.Start();
        b.Start();

        a.RunUntilMs(299);
        Assert.Empty(b.TestOps.Applied);
        a.RunUntilMs(1000);

        // A: rounds at 100, 200, ..., 1000 ms. B: at 300, 600 and 900 ms.
        Assert.Equal(200UL, a.Ctx.PassedSampleIntervals);
        Assert.Equal(100UL, b.Ctx.PassedSampleIntervals);
        Assert.Equal(40UL, aStat.Stat.NrTried);
        Assert.Equal(9UL, bStat.Stat.NrTried);
        Assert.Equal(9UL, bPageout.Stat.NrTried);
        Assert.Equal(36 * MiB, bPageout.Stat.SzApplied);
        Assert.All(a.TestOps.Applied, x => Assert.Equal(DamosAction.Stat, x.Action));

        // In B, each region gets both schemes before the walk moves on.
        Assert.Equal(
        [
            new AppliedAction(0, DamosAction.Stat, 0, 4 * MiB, 0),
            new AppliedAction(0, DamosAction.Pageout, 0, 4 * MiB, 4 * MiB),
            new AppliedAction(0, DamosAction.Stat, 4 * MiB, 8 * MiB, 0),
            new AppliedAction(0, DamosAction.Pageout, 4 * MiB, 8 * MiB, 4 * MiB),
            new AppliedAction(0, DamosAction.Stat, 8 * MiB, 12 * MiB, 0),
            new AppliedAction(0, DamosAction.Pageout, 8 * MiB, 12 * MiB, 4 * MiB),
        ], b.TestOps.Applied.Take(6));
    }
}
