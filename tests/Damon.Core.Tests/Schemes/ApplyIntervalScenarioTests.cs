using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Xunit;
using static Damon.Core.Tests.Schemes.SchemeBed;

namespace Damon.Core.Tests.Schemes;

/// <summary>
/// The apply interval (spec §3.1, with the moving-sum access count of §2.3) and the merge-back of
/// identical neighbours at the end of a round (§3.2 step 3).
/// </summary>
public class ApplyIntervalScenarioTests
{
    [Fact]
    public void Apply_interval_other_than_aggregation_runs_mid_window_on_the_moving_sum()
    {
        // Four 10 MiB regions; [10M, 20M) is accessed at every sample: 20 per 100 ms window.
        var bed = new SchemeBed(4, 10 * MiB);
        bed.TestOps.IsAccessed = static (_, addr) => addr >= 10 * MiB && addr < 20 * MiB;
        // apply_interval 250 ms = 50 sample intervals: rounds at passed 50, 100, 150 (250, 500,
        // 750 ms). At passed 50 the window (aggregated at 40, next at 60) is half done:
        // nr_accesses = 10, last = 20, left_bp = mulfrac(60 - 50, 10000, 20) = 5000, so the
        // moving sum is 10 + 20 * 5000 / 10000 = 20. At passed 100 (a boundary) it is
        // nr_accesses = 20. A pattern of exactly 20 matches the hot region in every round; one of
        // exactly 10 (the raw count mid-window) never does.
        var mvsum = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 20, 20, 0, uint.MaxValue),
            DamosAction.Stat, applyIntervalUs: 250_000));
        var raw = bed.AddScheme(new Damos(new DamosAccessPattern(0, ulong.MaxValue, 10, 10, 0, uint.MaxValue),
            DamosAction.Stat, applyIntervalUs: 250_000));
        bed.Start();

        bed.RunUntilMs(249);
        Assert.Equal(0UL, mvsum.Stat.NrTried);
        bed.RunUntilMs(250);
        Assert.Equal(1UL, mvsum.Stat.NrTried);
        Assert.Equal([new AddrRange(10 * MiB, 20 * MiB)], bed.AppliedRanges());
        bed.RunUntilMs(499);
        Assert.Equal(1UL, mvsum.Stat.NrTried);
        bed.RunUntilMs(500);
        Assert.Equal(2UL, mvsum.Stat.NrTried);
        bed.RunUntilMs(999);
        Assert.Equal(3UL, mvsum.Stat.NrTried);
        Assert.Equal(3UL, mvsum.Stat.NrSnapshots);
        Assert.Equal(0UL, raw.Stat.NrTried);
        Assert.Equal(3UL, raw.Stat.NrSnapshots);
    }

    [Fact]
    public void Pieces_a_round_split_off_are_merged_back_when_identical_and_within_the_size_limit()
    {
        // Four 10 MiB regions (size limit 10 MiB), stat with a 15 MiB size quota: stat does not
        // reset ages, so the pieces the quota cuts stay identical to their neighbours.
        var bed = new SchemeBed(4, 10 * MiB);
        var s = bed.AddScheme(new Damos(DamosAccessPattern.Any, DamosAction.Stat,
            quota: new DamosQuota { Sz = 15 * MiB, ResetIntervalMs = 1000 }));
        bed.Start();

        // 100 ms: [0, 10M) tried; [10M, 20M) cut at 5 MiB, head tried, quota full. The tail
        // [15M, 20M) is identical to the head and together they are 10 MiB: merged back. The
        // all-identical neighbours [0, 10M) + [10M, 20M) are not: 20 MiB > 10 MiB.
        bed.RunUntilMs(100);
        Assert.Equal([new AddrRange(0, 10 * MiB), new AddrRange(10 * MiB, 15 * MiB)], bed.AppliedRanges());
        Assert.Equal(EvenRanges(0, 4, 10 * MiB), bed.Regions().Select(r => r.Range));

        // 1100 ms: resuming at 15 MiB splits [10M, 20M) again (head skipped), tries the tail and
        // [20M, 30M); the two pieces of [10M, 20M) merge back once more.
        bed.RunUntilMs(1100);
        Assert.Equal([new AddrRange(15 * MiB, 20 * MiB), new AddrRange(20 * MiB, 30 * MiB)], bed.AppliedRanges(2));
        Assert.Equal(EvenRanges(0, 4, 10 * MiB), bed.Regions().Select(r => r.Range));
        Assert.Equal(4UL, s.Stat.NrTried);
        Assert.Equal(30 * MiB, s.Stat.SzTried);
    }
}
