using Damon.Tiering.DamonAuto;
using Xunit;

namespace Damon.Tiering.Tests;

/// <summary>damon-auto's decisions, each computed by hand from <see cref="AutoController"/>'s rule (5 ms samples, 20 per window).</summary>
public class DamonAutoControllerTests
{
    private const ulong MiB = 1UL << 20;
    private const ulong FastTotal = 256 * MiB;
    private const ulong Reserve = 1_073_741; // 256 MiB × 40 / 10000, truncated

    private static HeatHistogram Heat(params (uint Nr, ulong Bytes)[] levels)
    {
        var h = new HeatHistogram(20);
        foreach (var (nr, bytes) in levels) h.Add(nr, bytes);
        return h;
    }

    [Theory]
    // λ = −ln(1 − n/20) / 5 ms: 1 → 10.259/s, 2 → 21.072/s, 20 (read as 19.5) → 737.776/s.
    [InlineData(0u, 0.0)]
    [InlineData(1u, 10.259)]
    [InlineData(2u, 21.072)]
    [InlineData(10u, 138.629)]
    [InlineData(20u, 737.776)]
    public void The_rate_of_a_level_inverts_the_sampling_probability(uint nr, double perSec) =>
        Assert.Equal(perSec, AutoController.RatePerSec(nr, 20, 5_000), 3);

    [Theory]
    // The highest fast level whose rate × 2 does not exceed the promotion level's rate: e.g. p = 6,
    // 71.335/s: level 3 (32.504 × 2 = 65.0) qualifies, level 4 (44.629 × 2 = 89.3) does not.
    [InlineData(1u, 0)]
    [InlineData(2u, 1)]
    [InlineData(3u, 1)]
    [InlineData(6u, 3)]
    [InlineData(10u, 5)]
    [InlineData(20u, 16)]
    public void Data_promoted_at_a_level_is_demoted_only_below_half_its_rate(uint promoteLevel, int demoteCeiling) =>
        Assert.Equal(demoteCeiling, AutoController.DemoteCeiling(AutoController.RatePerSec(promoteLevel, 20, 5_000), 20, 5_000));

    [Fact]
    public void With_room_on_the_fast_node_everything_accessed_may_be_promoted_and_nothing_is_demoted()
    {
        var d = AutoController.Decide(Heat((5, 10 * MiB)), 5_000, Heat((3, 100 * MiB)), 5_000,
            fastFreeBytes: 100 * MiB, FastTotal, promoteYieldBp: 10000);

        // room = 100 MiB − reserve, far above the 10 MiB demand at level ≥ 1: the floor is 1, the
        // quota the whole room, and level 1's ceiling (0) holds nothing to demote.
        Assert.Equal(new AutoDecision(1, 100 * MiB - Reserve, 0, 0), d);
    }

    [Fact]
    public void The_first_quota_is_the_gap_to_the_reserve_not_one_byte()
    {
        // 8 MiB accessed on the slow node, 3 MiB free and nothing demotable: the demand does not
        // fit at any floor, so level 1 (the highest with demand) takes the 3 MiB − reserve room at once.
        var d = AutoController.Decide(Heat((1, 8 * MiB)), 5_000, Heat(), 5_000, 3 * MiB, FastTotal, 10000);

        Assert.Equal(new AutoDecision(1, 3 * MiB - Reserve, 0, 0), d);
    }

    [Fact]
    public void On_a_full_fast_node_cold_data_is_demoted_for_the_young_share_of_the_hot()
    {
        // No room, 50 MiB never accessed on the fast node; 8 MiB at level 2 on the slow node, of
        // whose tried bytes half passed the young filter so far: 4 MiB to demote; promotion may
        // take all 50 MiB the ceiling (0) makes demotable, whatever is hot when it applies.
        var d = AutoController.Decide(Heat((2, 8 * MiB)), 5_000, Heat((0, 50 * MiB), (10, 200 * MiB)), 5_000,
            Reserve, FastTotal, promoteYieldBp: 5000);

        Assert.Equal(new AutoDecision(1, 50 * MiB, 0, 4 * MiB), d);
    }

    [Fact]
    public void Without_cold_data_the_floor_rises_until_the_demand_fits_under_half_its_rate()
    {
        // Slow: 4 MiB at 20, 16 MiB at 3. Fast: 100 MiB at 3, 150 MiB at 20, no room.
        // p = 1..5: ceilings 0, 1, 1, 2, 2 hold nothing; p = 6: ceiling 3 holds 100 MiB ≥ the 4 MiB at ≥ 6.
        var d = AutoController.Decide(Heat((20, 4 * MiB), (3, 16 * MiB)), 5_000, Heat((3, 100 * MiB), (20, 150 * MiB)), 5_000,
            Reserve, FastTotal, 10000);

        Assert.Equal(new AutoDecision(6, 100 * MiB, 3, 4 * MiB), d);
    }

    [Fact]
    public void Lukewarm_data_at_the_same_level_on_both_nodes_is_not_exchanged()
    {
        // 16 MiB at level 1 on the slow node, the full fast node all at level 1: level 1's ceiling
        // is 0, which holds nothing, and nothing on the slow node reaches level 2.
        var d = AutoController.Decide(Heat((1, 16 * MiB)), 5_000, Heat((1, 255 * MiB)), 5_000, Reserve, FastTotal, 10000);

        Assert.True(d.Idle);
        Assert.Equal(new AutoDecision(1, 0, 0, 0), d);
    }

    [Fact]
    public void Below_the_reserve_the_coldest_fast_data_is_demoted_even_with_nothing_to_promote()
    {
        // 512 KiB free: 549,453 bytes short of the reserve.
        var d = AutoController.Decide(Heat(), 5_000, Heat((0, 30 * MiB)), 5_000, 512 * 1024, FastTotal, 10000);

        Assert.Equal(new AutoDecision(21, 0, 0, Reserve - 512 * 1024), d);
    }

    [Fact]
    public void A_longer_fast_sampling_interval_lowers_the_ceiling_in_levels()
    {
        // Promotion at level 1 of 5 ms (10.259/s); on a 50 ms fast context level 1 is 1.026/s and
        // level 2 is 2.107/s, ..., level 4 is 4.463/s ≤ 5.129, level 5 5.754/s is not.
        Assert.Equal(4, AutoController.DemoteCeiling(AutoController.RatePerSec(1, 20, 5_000), 20, 50_000));
    }

    [Theory]
    // One window of n samples reads zero for data at level 1's rate with probability (1 − 1/n)^n:
    // 20 → 0.35849, whose powers 0.35849, 0.12851, 0.04607 cross 5 % at the third window (age 2);
    // 10 → 0.34868, 0.12158, 0.04239 (age 2); 2 → 0.25, 0.0625, 0.015625 (age 2); 1 → 0 at once.
    [InlineData(20u, 2u)]
    [InlineData(10u, 2u)]
    [InlineData(2u, 2u)]
    [InlineData(1u, 0u)]
    public void Data_is_cold_enough_to_demote_after_windows_that_lukewarm_data_rarely_reads_zero_in_a_row(uint samples, uint minAge) =>
        Assert.Equal(minAge, AutoController.MinDemoteAge(samples));
}
