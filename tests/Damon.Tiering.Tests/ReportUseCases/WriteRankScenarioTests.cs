using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Tiering.Tests.ReportUseCases;

/// <summary>
/// Write-only monitoring ranks the processes exactly as their stores do. Every process runs the
/// same loop on the same DRAM, so its stores per second follow its write share:
/// vm-c (25 %) &gt; vm-a (10 %) &gt; vm-d (5 %) &gt; vm-b (2 %); the candidate is vm-b.
/// </summary>
public class WriteRankScenarioTests
{
    /// <summary>What <c>damon bench reports</c> runs by default: 2 s, the first 0.5 s not scored.</summary>
    private static readonly WriteRankOptions Short = new ReportsBenchOptions().WriteRank;
    private static readonly Lazy<WriteRankResult> Result = new(() => WriteRankScenario.Run(Short));

    [Fact]
    public void The_ranking_matches_the_stores_exactly_and_names_the_least_writer()
    {
        var r = Result.Value;
        Assert.Equal(["vm-c", "vm-a", "vm-d", "vm-b"], r.Expected);
        Assert.Equal(r.Expected, r.Ranked);
        Assert.Equal("vm-b", r.Candidate);
        // Aggregations every 100 ms; those from the warm-up's end (500 ms) to the run's (2000 ms) are scored.
        Assert.Equal((int)((Short.DurationUs - Short.WarmupUs) / 100_000) + 1, r.NrWindows);
    }

    /// <summary>Reads are dropped by the filter: an estimate counts stores only, within a factor the Poisson inversion allows.</summary>
    [Fact]
    public void The_estimates_are_of_the_stores_not_of_all_accesses()
    {
        foreach (var e in Result.Value.Processes)
            Assert.InRange(e.DamonBytesPerS / e.TrueBytesPerS, 0.5, 1.5);
    }
}
