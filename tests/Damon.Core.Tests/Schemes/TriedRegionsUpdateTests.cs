using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// update_schemes_tried_regions / update_schemes_tried_bytes (spec §3.10) over damos_walk: the
/// lists hold exactly the regions DAMOS handed to the operations set in the next apply round of
/// each scheme — matched by the access pattern, within the quota (cut to what it had left; regions
/// met with the quota full are not tried), past the core filters — with the nr_accesses and age
/// they had then and the bytes the ops filters passed.
/// </summary>
public class TriedRegionsUpdateTests
{
    private static readonly DamosAccessPattern Unaccessed = new(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue);

    /// <summary>
    /// Four 10 MiB regions; [10M, 20M) is accessed at every sample, so at the first aggregation
    /// (100 ms, 20 samples) it has nr_accesses 20 and age 0 (its rate changed), the others 0 and 1.
    /// Scheme 0 pages out unaccessed regions under a 15 MiB size quota; scheme 1 is a stat on all.
    /// </summary>
    private static (SchemeBed Bed, Damos Pageout, Damos Stat) Bed()
    {
        var bed = new SchemeBed(4, 10 * MiB);
        bed.TestOps.IsAccessed = (_, addr) => addr >= 10 * MiB && addr < 20 * MiB;
        var pageout = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 15 * MiB, ResetIntervalMs = 1000 }));
        var stat = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        return (bed, pageout, stat);
    }

    [Fact]
    public void Tried_regions_are_what_each_scheme_tried_in_its_next_apply_round()
    {
        var (bed, _, _) = Bed();
        var update = DamosTriedRegionsUpdate.Start(bed.Kdamond);
        bed.Start();
        bed.RunUntilMs(99);
        Assert.False(update.Task.IsCompleted);
        bed.RunUntilMs(100);
        Assert.True(update.Task.IsCompletedSuccessfully);

        // Pageout: [0, 10M) whole (10 MiB charged); [20M, 30M) cut to the 5 MiB left, split at 25M;
        // then the quota is full, so [25M, 30M) and [30M, 40M) are not tried. The hot region does not
        // match. Ages as the regions had them when handed over (pageout resets them afterwards).
        Assert.Equal(
        [
            new DamosTriedRegion(0, 10 * MiB, 0, 1, 10 * MiB),
            new DamosTriedRegion(20 * MiB, 25 * MiB, 0, 1, 5 * MiB),
        ], update.Regions(0));
        Assert.Equal(15 * MiB, update.TotalBytes(0));
        // Stat sees every region after pageout went by: the paged-out ones at age 0, the split
        // tail as its own region. Stat without ops filters reports no filter-passed bytes.
        Assert.Equal(
        [
            new DamosTriedRegion(0, 10 * MiB, 0, 0, 0),
            new DamosTriedRegion(10 * MiB, 20 * MiB, 20, 0, 0),
            new DamosTriedRegion(20 * MiB, 25 * MiB, 0, 0, 0),
            new DamosTriedRegion(25 * MiB, 30 * MiB, 0, 1, 0),
            new DamosTriedRegion(30 * MiB, 40 * MiB, 0, 1, 0),
        ], update.Regions(1));
        Assert.Equal(40 * MiB, update.TotalBytes(1));

        // The lists are a copy of that round: later rounds change neither them nor their totals.
        bed.RunUntilMs(300);
        Assert.Equal(2, update.Regions(0).Count);
        Assert.Equal(15 * MiB, update.TotalBytes(0));
    }

    [Fact]
    public void Tried_bytes_only_counts_the_same_bytes_without_regions()
    {
        var (bed, _, _) = Bed();
        var update = DamosTriedRegionsUpdate.Start(bed.Kdamond, totalBytesOnly: true);
        bed.Start();
        bed.RunUntilMs(100);
        Assert.True(update.Task.IsCompletedSuccessfully);
        Assert.Equal((15 * MiB, 40 * MiB), (update.TotalBytes(0), update.TotalBytes(1)));
        Assert.Empty(update.Regions(0));
        Assert.Empty(update.Regions(1));
    }

    [Fact]
    public void Core_filtered_regions_are_not_tried_and_ops_filters_show_in_sz_filter_passed()
    {
        // Three 10 MiB regions. A core addr filter rejects [10M, 20M); an ops anon filter rejects
        // the first 4 MiB of pages of [0, 10M), so 6 MiB of it pass, and all of [20M, 30M).
        var bed = new SchemeBed(3, 10 * MiB);
        bed.TestOps.PageIsOfType = (_, addr, f) => f.Type == DamosFilterType.Anon && addr < 4 * MiB;
        var s = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        s.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: false) { AddrRange = new AddrRange(10 * MiB, 20 * MiB) });
        s.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: false));
        var update = DamosTriedRegionsUpdate.Start(bed.Kdamond);
        bed.Start();
        bed.RunUntilMs(100);
        Assert.True(update.Task.IsCompletedSuccessfully);
        Assert.Equal([new DamosTriedRegion(0, 10 * MiB, 0, 1, 6 * MiB), new DamosTriedRegion(20 * MiB, 30 * MiB, 0, 1, 10 * MiB)],
            update.Regions(0));
        Assert.Equal(20 * MiB, update.TotalBytes(0));
    }

    [Fact]
    public void A_walk_cut_short_by_the_kdamond_exit_is_cancelled_and_keeps_what_it_gathered()
    {
        // Scheme 1 applies only every second: at 500 ms the kdamond stops before its round.
        var bed = new SchemeBed(3, 10 * MiB);
        bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat));
        bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat, applyIntervalUs: 1_000_000));
        var update = DamosTriedRegionsUpdate.Start(bed.Kdamond);
        bed.Start();
        bed.RunUntilMs(500);
        Assert.False(update.Task.IsCompleted);
        bed.Kdamond.RequestStop();
        bed.RunUntilMs(600);
        var e = Assert.IsType<DamonException>(update.Task.Exception!.InnerException);
        Assert.Equal(Errno.ECANCELED, e.Errno);
        Assert.Equal(
        [
            new DamosTriedRegion(0, 10 * MiB, 0, 1, 0),
            new DamosTriedRegion(10 * MiB, 20 * MiB, 0, 1, 0),
            new DamosTriedRegion(20 * MiB, 30 * MiB, 0, 1, 0),
        ], update.Regions(0));
        Assert.Empty(update.Regions(1));
        // The kdamond is gone: a new request is refused as damos_walk refuses it.
        Assert.Equal(Errno.ECANCELED, Assert.Throws<DamonException>(() => DamosTriedRegionsUpdate.Start(bed.Kdamond)).Errno);
    }
}
