using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// damos_walk (spec §2.13, §3.10): the callback sees, for the next apply round of every scheme,
/// each region handed to the operations set — after the quota cut and the core filters — and the
/// walk completes once every scheme finished one round.
/// </summary>
public class WalkScenarioTests
{
    [Fact]
    public void Walk_sees_exactly_the_regions_handed_to_the_ops_layer_in_one_round_of_each_scheme()
    {
        // Four 10 MiB regions, none accessed.
        // Scheme 0: pageout every 200 ms, 15 MiB size quota (all regions cold 99), core filter
        //   rejecting [0, 5M).
        // Scheme 1: stat every 100 ms.
        var bed = new SchemeBed(4, 10 * MiB);
        var pageout = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue),
            DamosAction.Pageout, applyIntervalUs: 200_000, quota: new DamosQuota { Sz = 15 * MiB, ResetIntervalMs = 1000 }));
        pageout.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: false) { AddrRange = new AddrRange(0, 5 * MiB) });
        bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        var seen = new List<(DamosAction Action, ulong Start, ulong End, ulong SzFilterPassed)>();
        var walk = bed.Kdamond.Walk((_, _, r, s, szFilterPassed) => seen.Add((s.Action, r.Start, r.End, szFilterPassed)));
        bed.Start();

        // 100 ms: only stat is due; it completes its round, the walk waits for pageout.
        bed.RunUntilMs(100);
        Assert.False(walk.IsCompleted);
        // 200 ms: pageout's first round. [0, 10M) is split at 5 MiB by the filter and its head
        // rejected (not handed over); [5M, 10M) (5 MiB) and [10M, 20M) (10 MiB) fill the quota.
        // Stat runs again but has had its round: the walk no longer reports it.
        bed.RunUntilMs(200);
        Assert.True(walk.IsCompletedSuccessfully);

        Assert.Equal(
        [
            (DamosAction.Stat, 0, 10 * MiB, 0),
            (DamosAction.Stat, 10 * MiB, 20 * MiB, 0),
            (DamosAction.Stat, 20 * MiB, 30 * MiB, 0),
            (DamosAction.Stat, 30 * MiB, 40 * MiB, 0),
            (DamosAction.Pageout, 5 * MiB, 10 * MiB, 5 * MiB),
            (DamosAction.Pageout, 10 * MiB, 20 * MiB, 10 * MiB),
        ], seen);

        // Exactly what the operations set was asked to do in those rounds: stat's round at
        // 100 ms (the first four calls) and pageout's calls at 200 ms.
        var firstRounds = bed.TestOps.Applied.Take(4)
            .Concat(bed.TestOps.Applied.Skip(4).Where(a => a.Action == DamosAction.Pageout));
        Assert.Equal(firstRounds.Select(a => (a.Action, a.Start, a.End)), seen.Select(x => (x.Action, x.Start, x.End)));
        Assert.Equal(
        [
            new AppliedAction(0, DamosAction.Stat, 0, 5 * MiB, 0),
            new AppliedAction(0, DamosAction.Pageout, 5 * MiB, 10 * MiB, 5 * MiB),
            new AppliedAction(0, DamosAction.Stat, 5 * MiB, 10 * MiB, 0),
            new AppliedAction(0, DamosAction.Pageout, 10 * MiB, 20 * MiB, 10 * MiB),
            new AppliedAction(0, DamosAction.Stat, 10 * MiB, 20 * MiB, 0),
            new AppliedAction(0, DamosAction.Stat, 20 * MiB, 30 * MiB, 0),
            new AppliedAction(0, DamosAction.Stat, 30 * MiB, 40 * MiB, 0),
        ], bed.TestOps.Applied.Skip(4));

        // The walk is over: later rounds are not reported, and a new walk may be installed.
        bed.RunUntilMs(400);
        Assert.Equal(6, seen.Count);
        var next = bed.Kdamond.Walk((_, _, _, _, _) => { });
        Assert.Throws<DamonException>(() => { _ = bed.Kdamond.Walk((_, _, _, _, _) => { }); });
        bed.RunUntilMs(600);
        Assert.True(next.IsCompletedSuccessfully);
    }
}
