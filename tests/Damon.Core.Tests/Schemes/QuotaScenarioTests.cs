using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// DAMOS quotas (spec §3.2, §3.5) on the real kdamond loop in virtual time. Defaults: sample 5 ms,
/// aggregation 100 ms, so schemes run at 100 ms, 200 ms, ... and the first charge window opens at
/// the first round (100 ms); a 1000 ms reset interval gives windows [100, 1100), [1100, 2100), ...
/// Nothing is accessed unless a test says so: every region's nr_accesses is 0 and its age grows by
/// one per aggregation (§2.4) until an action other than stat resets it.
/// </summary>
public class QuotaScenarioTests
{
    private static readonly DamosAccessPattern Unaccessed = new(0, ulong.MaxValue, 0, 0, 0, uint.MaxValue);

    /// <summary>
    /// Ten unaccessed 10 MiB regions whose ages give each a distinct cold score (weights: age only),
    /// stable for a few seconds of aging: the coldest is region 2, then 7, then 4.
    /// </summary>
    private static SchemeBed ColdOrderBed()
    {
        ulong[] ages = [100, 200, 51200, 400, 12800, 800, 1600, 25600, 3200, 6400];
        //  age (s):    10   20   5120   40   1280   80   160   2560   320   640
        //       L:     4    5    13     6    11     7    8     12     9     10
        //    cold:     57   58   71     60   68     61   63    69     65    66
        var bed = new SchemeBed(10, 10 * MiB);
        var regions = bed.Regions();
        for (int i = 0; i < ages.Length; i++)
            regions[i].Age = (uint)ages[i];
        return bed;
    }

    [Fact]
    public void Size_quota_applies_10MiB_per_reset_interval_to_the_coldest_regions_first()
    {
        // Ten 10 MiB regions (100 MiB). Only the age weight is set, so the cold score (§3.5) of an
        // unaccessed region of age A (aggregation intervals of 100 ms) is, with
        // L = bit length of floor(A / 10) (its age in seconds):
        //   age_sub = ((32 - L) * 100 / 32) / 2,  hot = age_sub * 99 / 100,  cold = 99 - hot
        //   L:    0  1  2 ...  4  5  6  7  8  9  10 11 12 13
        //   cold: 50 52 54 ... 57 58 60 61 63 65 66 68 69 71
        // The ages of ColdOrderBed put each region in its own L class for the 2.2 s tested.
        var bed = ColdOrderBed();
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 10 * MiB, ResetIntervalMs = 1000, WeightAge = 1 }));
        bed.Start();

        // 100 ms: the first window opens with esz = sz = 10 MiB. The histogram reaches 10 MiB at
        // the best score, 71 (region 2), so min_score = 71 and only region 2 qualifies. Applying it
        // charges 10 MiB: the quota is full, the resume point is its end (30 MiB), its age is 0.
        bed.RunUntilMs(100);
        Assert.Equal(10 * MiB, s.Quota.Esz);
        Assert.Equal([new AddrRange(20 * MiB, 30 * MiB)], bed.AppliedRanges());
        Assert.Equal(10 * MiB, s.Quota.ChargedSz);

        // The rest of the window does nothing: the quota is full.
        bed.RunUntilMs(1099);
        Assert.Single(bed.TestOps.Applied);
        Assert.Equal(0UL, s.Stat.QtExceeds);

        // 1100 ms: a new window (the old one ended full: qt_exceeds 1). Region 2 is now 10
        // aggregations old (L1, cold 52); the best is region 7 (69). The walk skips up to the
        // resume point (30 MiB), clears it at region 3 and applies region 7.
        bed.RunUntilMs(1100);
        Assert.Equal(1UL, s.Stat.QtExceeds);
        Assert.Equal(10 * MiB, s.Quota.TotalChargedSz);
        Assert.Equal(new AddrRange(70 * MiB, 80 * MiB), bed.AppliedRanges(1).Single());

        // 2100 ms: the best is region 4 (68), but it lies before the resume point (80 MiB): this
        // round skips it and reaches the last region with nothing applied (one snapshot).
        bed.RunUntilMs(2100);
        Assert.Equal(2UL, s.Stat.QtExceeds);
        Assert.Equal(2, bed.TestOps.Applied.Count);
        Assert.Equal(1UL, s.Stat.NrSnapshots);

        // 2200 ms: same window, no resume point any more: region 4 is applied.
        bed.RunUntilMs(2200);
        Assert.Equal(new AddrRange(40 * MiB, 50 * MiB), bed.AppliedRanges(2).Single());

        bed.RunUntilMs(3099);
        Assert.Equal(3, bed.TestOps.Applied.Count);
        Assert.Equal(3UL, s.Stat.NrTried);
        Assert.Equal(30 * MiB, s.Stat.SzTried);
        Assert.Equal(3UL, s.Stat.NrApplied);
        Assert.Equal(30 * MiB, s.Stat.SzApplied);
        Assert.Equal(2UL, s.Stat.QtExceeds);
        Assert.Equal(1UL, s.Stat.NrSnapshots);
    }

    [Fact]
    public void Regions_core_filters_reject_do_not_count_toward_min_score()
    {
        // ColdOrderBed with the coldest region, [20M, 30M), rejected by an addr filter. The
        // histogram leaves it out (§3.5 step 3), so the 10 MiB quota is reached at region 7's
        // score (69) and region 7 is applied. Counting it would have set min_score to 71 and,
        // with region 2 then rejected, nothing would be applied.
        var bed = ColdOrderBed();
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 10 * MiB, ResetIntervalMs = 1000, WeightAge = 1 }));
        s.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: false)
        {
            AddrRange = new AddrRange(20 * MiB, 30 * MiB),
        });
        bed.Start();
        bed.RunUntilMs(100);

        Assert.Equal(69u, s.Quota.MinScore);
        Assert.Equal([new AddrRange(70 * MiB, 80 * MiB)], bed.AppliedRanges());
        Assert.Equal(1UL, s.Stat.NrTried);
    }

    [Fact]
    public void A_round_stopped_by_the_quota_resumes_where_it_stopped()
    {
        // Ten 10 MiB regions, all weights 0: every region scores cold 99, so min_score is 99 and
        // the walk order (address order) alone decides. esz = 15 MiB per 1000 ms window.
        var bed = new SchemeBed(10, 10 * MiB);
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 15 * MiB, ResetIntervalMs = 1000 }));
        bed.Start();

        // 100 ms: [0, 10M) is applied whole (charged 10 MiB); [10M, 20M) would overshoot, so it is
        // split at 15 MiB - 10 MiB = 5 MiB and the head applied: charged 15 MiB, full, resume at
        // 15 MiB. The unapplied tail keeps its age, the head's is reset, so they stay apart.
        bed.RunUntilMs(100);
        Assert.Equal([new AddrRange(0, 10 * MiB), new AddrRange(10 * MiB, 15 * MiB)], bed.AppliedRanges());
        Assert.Equal(11, bed.Target.NrRegions);

        // At 200 ms the monitoring merge joins the two halves again (equal nr_accesses, 10 MiB
        // <= the 10 MiB size limit), age (1*5 + 2*5) / 10 = 1; nine more aggregations make it 10.
        bed.RunUntilMs(1099);
        Assert.Equal(2, bed.TestOps.Applied.Count);
        Assert.Equal(10, bed.Target.NrRegions);

        // 1100 ms: [10M, 20M) starts before the resume point: damos_skip_charged_region splits it
        // at 15 MiB and skips the head; the tail [15M, 20M) is visited next, clears the resume
        // point and is applied (5 MiB), then [20M, 30M) (10 MiB): full again, resume at 30 MiB.
        bed.RunUntilMs(1100);
        Assert.Equal([new AddrRange(15 * MiB, 20 * MiB), new AddrRange(20 * MiB, 30 * MiB)], bed.AppliedRanges(2));
        // The skipped head keeps its monitoring state (age 10); the applied pieces restart at 0.
        var r = bed.Regions();
        Assert.Equal([0, 10 * MiB, 15 * MiB, 20 * MiB, 30 * MiB], r.Take(5).Select(x => x.Start));
        Assert.Equal([10u, 10u, 0u, 0u, 11u], r.Take(5).Select(x => x.Age));

        bed.RunUntilMs(2100);
        Assert.Equal([new AddrRange(30 * MiB, 40 * MiB), new AddrRange(40 * MiB, 45 * MiB)], bed.AppliedRanges(4));
        bed.RunUntilMs(3100);
        Assert.Equal([new AddrRange(45 * MiB, 50 * MiB), new AddrRange(50 * MiB, 60 * MiB)], bed.AppliedRanges(6));

        // Four windows, 15 MiB each, covering [0, 60M) once, in order, with no byte twice.
        var applied = bed.AppliedRanges();
        for (int i = 1; i < applied.Length; i++)
            Assert.Equal(applied[i - 1].End, applied[i].Start);
        Assert.Equal(60 * MiB, s.Stat.SzApplied);
        Assert.Equal(3UL, s.Stat.QtExceeds);
    }

    [Fact]
    public void The_resume_point_carries_over_to_the_next_target_and_wraps_around()
    {
        // Two targets of three 10 MiB regions (size limit 60 / 6 = 10 MiB), all cold 99, 15 MiB
        // per window. §3.5 damos_skip_charged_region: other targets are skipped until the one the
        // round stopped in; reaching that target's last region clears the resume point (and
        // skips that region).
        var bed = new SchemeBed([EvenRanges(0, 3, 10 * MiB), EvenRanges(100 * MiB, 3, 10 * MiB)]);
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 15 * MiB, ResetIntervalMs = 1000 }));
        bed.Start();

        AppliedAction Applied(int targetIdx, ulong startMiB, ulong endMiB) =>
            new(targetIdx, DamosAction.Pageout, startMiB * MiB, endMiB * MiB, (endMiB - startMiB) * MiB);

        // Window 0: t0 [0, 10M), then [10M, 15M) cut by the quota: resume (t0, 15M).
        bed.RunUntilMs(100);
        Assert.Equal([Applied(0, 0, 10), Applied(0, 10, 15)], bed.TestOps.Applied);
        // Window 1: [10M, 20M) (merged back at 200 ms) split at the resume point, head skipped;
        // t0 [15M, 20M) and [20M, 30M): resume (t0, 30M).
        bed.RunUntilMs(1100);
        Assert.Equal([Applied(0, 15, 20), Applied(0, 20, 30)], bed.TestOps.Applied.Skip(2));
        // Window 2: t0's regions end at or before 30M and its last region clears the resume
        // point; t1 [100M, 110M) and [110M, 115M): resume (t1, 115M).
        bed.RunUntilMs(2100);
        Assert.Equal([Applied(1, 100, 110), Applied(1, 110, 115)], bed.TestOps.Applied.Skip(4));
        // Window 3: t0 is skipped (not the resume target); t1 [115M, 120M) and [120M, 130M):
        // resume (t1, 130M). All 60 MiB applied once, in order.
        bed.RunUntilMs(3100);
        Assert.Equal([Applied(1, 115, 120), Applied(1, 120, 130)], bed.TestOps.Applied.Skip(6));
        // Window 4: the first round only walks to t1's last region, which clears the resume
        // point: nothing applied. The next round starts over from t0.
        bed.RunUntilMs(4100);
        Assert.Equal(8, bed.TestOps.Applied.Count);
        bed.RunUntilMs(4200);
        Assert.Equal([Applied(0, 0, 10), Applied(0, 10, 15)], bed.TestOps.Applied.Skip(8));
        Assert.Equal(4UL, s.Stat.QtExceeds);
    }

    [Fact]
    public void A_resume_point_inside_a_targets_last_region_is_dropped_there()
    {
        // Three 10 MiB regions, all cold 99, 25 MiB per window. damos_skip_charged_region tests
        // "last region of the target" before the resume address (§3.5), so when the quota cut
        // lands in the last region the round that resumes clears the point on reaching that
        // region and skips it: the rest of it, [25M, 30M), waits while [0, 25M) is applied again.
        var bed = new SchemeBed(3, 10 * MiB);
        bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 25 * MiB, ResetIntervalMs = 1000 }));
        bed.Start();

        bed.RunUntilMs(100);
        AddrRange[] cycle = [new(0, 10 * MiB), new(10 * MiB, 20 * MiB), new(20 * MiB, 25 * MiB)];
        Assert.Equal(cycle, bed.AppliedRanges());
        // 1100 ms: [0, 10M) and [10M, 20M) end before 25M; [20M, 30M) (merged back at 200 ms)
        // is the last region: resume point cleared, region skipped, nothing applied.
        bed.RunUntilMs(1100);
        Assert.Equal(3, bed.TestOps.Applied.Count);
        // 1200 ms: a walk from the start.
        bed.RunUntilMs(1200);
        Assert.Equal(cycle, bed.AppliedRanges(3));
    }

    [Fact]
    public void Time_quota_sizes_each_window_from_the_measured_throughput()
    {
        // Applying takes virtual time at 2 MiB per ms. Time quota 2 ms per 1000 ms, all regions
        // cold 99 (weights 0) so address order decides.
        var testOps = new TestOperations();
        var bed = new SchemeBed(10, 10 * MiB, ops: new TimedOperations(testOps, 2 * MiB));
        var s = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Ms = 2, ResetIntervalMs = 1000 }));
        bed.Start();

        // Window 0: nothing measured yet, throughput = PAGE_SIZE * 1024 = 4 MiB/ms, esz = 8 MiB.
        // [0, 8M) is applied, taking 8 MiB / (2 MiB/ms) = 4 ms.
        bed.RunUntilMs(100);
        Assert.Equal(8 * MiB, s.Quota.Esz);
        Assert.Equal([new AddrRange(0, 8 * MiB)], ApplyLog(testOps));
        Assert.Equal(4_000_000UL, s.Quota.TotalChargedNs);

        // Window 1: throughput = mulfrac(8 MiB, 1e6, 4e6 ns) = 2 MiB/ms, esz = 4 MiB. Resuming at
        // 8 MiB: [8M, 10M) then [10M, 12M) (1 ms each).
        bed.RunUntilMs(1100);
        Assert.Equal(8 * MiB, s.Quota.TotalChargedSz);
        Assert.Equal(4 * MiB, s.Quota.Esz);
        Assert.Equal([new AddrRange(8 * MiB, 10 * MiB), new AddrRange(10 * MiB, 12 * MiB)], ApplyLog(testOps).Skip(1));
        Assert.Equal(6_000_000UL, s.Quota.TotalChargedNs);

        // Window 2: mulfrac(12 MiB, 1e6, 6e6 ns) = 2 MiB/ms again: esz 4 MiB, [12M, 16M).
        bed.RunUntilMs(2100);
        Assert.Equal(12 * MiB, s.Quota.TotalChargedSz);
        Assert.Equal(4 * MiB, s.Quota.Esz);
        Assert.Equal([new AddrRange(12 * MiB, 16 * MiB)], ApplyLog(testOps).Skip(3));
    }

    private static IEnumerable<AddrRange> ApplyLog(TestOperations ops) =>
        ops.Applied.Select(a => new AddrRange(a.Start, a.End));

    [Fact]
    public void Effective_time_quota_is_throughput_times_ms_floored_at_min_region_sz_and_capped_by_sz()
    {
        var ctx = new DamonContext();
        var s = new Damos(DamosAccessPattern.Any, DamosAction.Pageout, quota: new DamosQuota { Ms = 5 });

        // No measurement yet: PAGE_SIZE * 1024 bytes per ms.
        DamosCore.SetEffectiveQuota(ctx, s);
        Assert.Equal(4096UL * 1024 * 5, s.Quota.Esz);

        // mulfrac(3 MiB, 1_000_000, 7_000_000) = floor(3145728 / 7) = 449389 B/ms; * 5 ms.
        s.Quota.TotalChargedSz = 3 * MiB;
        s.Quota.TotalChargedNs = 7_000_000;
        DamosCore.SetEffectiveQuota(ctx, s);
        Assert.Equal(2_246_945UL, s.Quota.Esz);

        // The size quota caps it.
        s.Quota.Sz = 2 * MiB;
        DamosCore.SetEffectiveQuota(ctx, s);
        Assert.Equal(2 * MiB, s.Quota.Esz);

        // A crawl (1000 B in 1 s: 1 B/ms, esz 5 B) is floored at min_region_sz (G2).
        s.Quota.Sz = 0;
        s.Quota.TotalChargedSz = 1000;
        s.Quota.TotalChargedNs = 1_000_000_000;
        DamosCore.SetEffectiveQuota(ctx, s);
        Assert.Equal(ctx.MinRegionSz, s.Quota.Esz);
    }

    [Fact]
    public void Fail_charge_ratio_charges_applied_bytes_plus_the_ratio_of_the_rest()
    {
        // Docs example: a 1000 MiB region of which 700 MiB is applied, ratio 1/1024:
        // 700 MiB + mulfrac(300 MiB, 1, 1024) = 700 MiB + 300 KiB.
        var q = new DamosQuota { FailChargeNum = 1, FailChargeDenom = 1024 };
        DamosCore.ChargeQuota(q, 1000 * MiB, 700 * MiB);
        Assert.Equal(700 * MiB + 300 * KiB, q.ChargedSz);

        // More applied than handed over (an ops set counting whole folios): the region size.
        q.ChargedSz = 0;
        DamosCore.ChargeQuota(q, 4 * KiB, 8 * KiB);
        Assert.Equal(4 * KiB, q.ChargedSz);

        // No ratio (denominator 0): the whole region, applied or not.
        var full = new DamosQuota();
        DamosCore.ChargeQuota(full, 1000 * MiB, 700 * MiB);
        Assert.Equal(1000 * MiB, full.ChargedSz);
    }

    [Fact]
    public void Fail_charge_ratio_in_a_round_charges_700MiB_plus_300KiB_for_a_1000MiB_region()
    {
        // Three 1000 MiB regions (size limit 3000 / 3 = 1000 MiB: no merge, no split). Only the
        // first is unaccessed; of it, [0, 300M) is anon, which a reject-anon ops filter keeps
        // out: 700 MiB applied. Two pageout schemes differ only in the fail charge ratio; the
        // 2000 MiB size quota does not bind.
        var bed = new SchemeBed(3, 1000 * MiB);
        bed.TestOps.IsAccessed = (_, addr) => addr >= 1000 * MiB;
        bed.TestOps.PageIsOfType = (_, addr, f) => f.Type == DamosFilterType.Anon && addr < 300 * MiB;
        var withRatio = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 2000 * MiB, ResetIntervalMs = 1000, FailChargeNum = 1, FailChargeDenom = 1024 }));
        var withoutRatio = bed.AddScheme(new Damos(Unaccessed, DamosAction.Pageout,
            quota: new DamosQuota { Sz = 2000 * MiB, ResetIntervalMs = 1000 }));
        foreach (var s in bed.Ctx.Schemes)
            s.AddFilter(new DamosFilter(DamosFilterType.Anon, matching: true, allow: false));
        bed.Start();

        bed.RunUntilMs(100);

        Assert.Equal(700 * MiB + 300 * KiB, withRatio.Quota.ChargedSz);
        Assert.Equal(1000 * MiB, withoutRatio.Quota.ChargedSz);
        foreach (var s in bed.Ctx.Schemes)
        {
            Assert.Equal(1UL, s.Stat.NrTried);
            Assert.Equal(1000 * MiB, s.Stat.SzTried);
            Assert.Equal(700 * MiB, s.Stat.SzApplied);
            Assert.Equal(700 * MiB, s.Stat.SzOpsFilterPassed);
        }
    }
}
