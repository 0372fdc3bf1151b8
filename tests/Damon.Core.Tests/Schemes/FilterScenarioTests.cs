using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// DAMOS filters (spec §3.8) in one apply round (100 ms) of the real kdamond loop: core filters
/// (addr, target) decide whole regions, splitting them at the range edges, and what they reject is
/// not "tried"; ops filters (anon, young, ...) decide page by page inside the operations set, and
/// what they reject is still tried. Four 10 MiB regions, none accessed, unless a test says so.
/// </summary>
public class FilterScenarioTests
{
    private static readonly DamosAccessPattern Unaccessed = new(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue);

    [Fact]
    public void Core_addr_allow_filter_acts_on_exactly_its_range_and_splits_the_edge_regions()
    {
        var bed = new SchemeBed(4, 10 * MiB);
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout));
        s.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: true)
        {
            AddrRange = new AddrRange(15 * MiB, 35 * MiB),
        });
        bed.Start();
        bed.RunUntilMs(100);

        // Last core filter allows, no ops filters: what no filter matches is rejected.
        // [0, 10M) outside: rejected. [10M, 20M) starts before the range: split at 15 MiB, head
        // rejected, tail [15M, 20M) matched (visited next). [20M, 30M) inside. [30M, 40M) starts
        // inside: split at 35 MiB, head matched, tail [35M, 40M) outside, rejected.
        Assert.Equal([new AddrRange(15 * MiB, 20 * MiB), new AddrRange(20 * MiB, 30 * MiB), new AddrRange(30 * MiB, 35 * MiB)],
            bed.AppliedRanges());
        Assert.Equal([0, 10 * MiB, 15 * MiB, 20 * MiB, 30 * MiB, 35 * MiB], bed.Regions().Select(r => r.Start));
        // Core-rejected regions are not tried. sz_tried adds the size damos_apply_scheme took
        // before calling the core filters (§3.2: sz = size(r), cut only by the quota): the filter
        // split of [30M, 40M) happens after, so that try counts 10 MiB though 5 MiB was handed
        // over: 5 + 10 + 10 = 25 MiB, as in the kernel. (The tail [15M, 20M) was split off by an
        // earlier call and is tried at its own size.)
        Assert.Equal(3UL, s.Stat.NrTried);
        Assert.Equal(25 * MiB, s.Stat.SzTried);
        Assert.Equal(3UL, s.Stat.NrApplied);
        Assert.Equal(20 * MiB, s.Stat.SzApplied);
        // Only applied regions restart their age; the rejected pieces keep theirs (1).
        Assert.Equal([1u, 1u, 0u, 0u, 0u, 1u], bed.Regions().Select(r => r.Age));
    }

    [Fact]
    public void Target_filters_select_targets_by_index()
    {
        // Two targets of two 10 MiB regions; size limit 40 MiB / 4 = 10 MiB.
        var bed = new SchemeBed([EvenRanges(0, 2, 10 * MiB), EvenRanges(100 * MiB, 2, 10 * MiB)]);
        // Reject target 1 (default: allow the rest) ...
        var rejectOne = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout));
        rejectOne.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: false) { TargetIdx = 1 });
        // ... and allow only target 1 (default: reject the rest).
        var onlyOne = bed.AddScheme(new Damos(Unaccessed, DamosAction.Cold));
        onlyOne.AddFilter(new DamosFilter(DamosFilterType.Target, matching: true, allow: true) { TargetIdx = 1 });
        bed.Start();
        bed.RunUntilMs(100);

        Assert.Equal(
        [
            new AppliedAction(0, DamosAction.Pageout, 0, 10 * MiB, 10 * MiB),
            new AppliedAction(0, DamosAction.Pageout, 10 * MiB, 20 * MiB, 10 * MiB),
            new AppliedAction(1, DamosAction.Cold, 100 * MiB, 110 * MiB, 10 * MiB),
            new AppliedAction(1, DamosAction.Cold, 110 * MiB, 120 * MiB, 10 * MiB),
        ], bed.TestOps.Applied);
        Assert.Equal(2UL, rejectOne.Stat.NrTried);
        Assert.Equal(20 * MiB, rejectOne.Stat.SzTried);
        Assert.Equal(2UL, onlyOne.Stat.NrTried);
        Assert.Equal(20 * MiB, onlyOne.Stat.SzTried);
    }

    [Fact]
    public void Ops_filters_allow_anon_reject_young_docs_example_act_on_exactly_the_passing_pages()
    {
        // anon: [0, 15M); young: [12M, 28M). Filters [allow anon, reject young]:
        //   anon pages always pass:                       [0, 15M)   -> 15 MiB
        //   non-anon young pages are rejected:            [15M, 28M)
        //   the rest matches nothing: default is the opposite of the last filter (reject), so
        //   they pass:                                    [28M, 40M) -> 12 MiB
        // Per region: 10, 5, 2 and 10 MiB pass, 27 MiB in all.
        var bed = new SchemeBed(4, 10 * MiB);
        bed.TestOps.PageIsOfType = static (_, addr, f) => f.Type switch
        {
            DamosFilterType.Anon => addr < 15 * MiB,
            DamosFilterType.Young => addr >= 12 * MiB && addr < 28 * MiB,
            _ => false,
        };
        // The same filters on pageout and on stat: stat applies nothing but still reports the
        // bytes that passed, because it has ops filters.
        var pageout = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout));
        var stat = bed.AddScheme(new Damos(Unaccessed, DamosAction.Stat));
        foreach (var s in bed.Ctx.Schemes)
        {
            s.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: true));
            s.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: false));
        }
        bed.Start();
        bed.RunUntilMs(100);

        Assert.Equal([10 * MiB, 5 * MiB, 2 * MiB, 10 * MiB],
            bed.TestOps.Applied.Where(a => a.Action == DamosAction.Pageout).Select(a => a.SzApplied));
        // Ops-rejected bytes are still tried.
        Assert.Equal(4UL, pageout.Stat.NrTried);
        Assert.Equal(40 * MiB, pageout.Stat.SzTried);
        Assert.Equal(4UL, pageout.Stat.NrApplied);
        Assert.Equal(27 * MiB, pageout.Stat.SzApplied);
        Assert.Equal(27 * MiB, pageout.Stat.SzOpsFilterPassed);

        Assert.Equal(4UL, stat.Stat.NrTried);
        Assert.Equal(40 * MiB, stat.Stat.SzTried);
        Assert.Equal(0UL, stat.Stat.NrApplied);
        Assert.Equal(0UL, stat.Stat.SzApplied);
        Assert.Equal(27 * MiB, stat.Stat.SzOpsFilterPassed);
    }

    [Fact]
    public void Non_matching_reject_filter_keeps_only_pages_of_the_type()
    {
        // young: [12M, 28M). "reject none young" (matching = false, allow = false), as
        // DAMON_LRU_SORT's hot scheme uses: a page that is not young matches it and is rejected;
        // a young page matches nothing and gets the default, the opposite of the last filter's
        // allow: pass. 8 MiB of [10M, 20M) and 8 MiB of [20M, 30M).
        var bed = new SchemeBed(4, 10 * MiB);
        bed.TestOps.PageIsOfType = static (_, addr, f) =>
            f.Type == DamosFilterType.Young && addr >= 12 * MiB && addr < 28 * MiB;
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.LruPrio));
        s.AddFilter(new DamosFilter(DamosFilterType.Young, matching: false, allow: false));
        bed.Start();
        bed.RunUntilMs(100);

        Assert.Equal([0, 8 * MiB, 8 * MiB, 0], bed.TestOps.Applied.Select(a => a.SzApplied));
        Assert.Equal(4UL, s.Stat.NrTried);
        Assert.Equal(2UL, s.Stat.NrApplied);
        Assert.Equal(16 * MiB, s.Stat.SzApplied);
        Assert.Equal(16 * MiB, s.Stat.SzOpsFilterPassed);
    }

    [Fact]
    public void A_core_allow_match_skips_the_ops_filters()
    {
        // Every page anon. Core: allow [0, 10M); ops: reject anon. With an ops filter present the
        // core stage passes unmatched regions on (core default allow), and the ops stage rejects
        // them; the region the core filter allowed bypasses the ops filters.
        var bed = new SchemeBed(4, 10 * MiB);
        bed.TestOps.PageIsOfType = static (_, _, f) => f.Type == DamosFilterType.Anon;
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout));
        s.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: true) { AddrRange = new AddrRange(0, 10 * MiB) });
        s.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: false));
        bed.Start();
        bed.RunUntilMs(100);

        Assert.Equal([10 * MiB, 0, 0, 0], bed.TestOps.Applied.Select(a => a.SzApplied));
        Assert.Equal(4UL, s.Stat.NrTried);
        Assert.Equal(40 * MiB, s.Stat.SzTried);
        Assert.Equal(1UL, s.Stat.NrApplied);
        Assert.Equal(10 * MiB, s.Stat.SzApplied);
        Assert.Equal(10 * MiB, s.Stat.SzOpsFilterPassed);
    }
}
