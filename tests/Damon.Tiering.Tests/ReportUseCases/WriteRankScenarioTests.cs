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
    private static readonly WriteRankOptions Short = new() { DurationUs = 1_000_000, WarmupUs = 250_000 };
    private static readonly Lazy<WriteRankResult> Result = new(() => WriteRankScenario.Run(Short));

    [Fact]
    public void The_ranking_matches_the_stores_exactly_and_names_the_least_writer()
    {
        var r = Result.Value;
        Assert.Equal(["vm-c", "vm-a", "vm-d", "vm-b"], r.Expected);
        Assert.Equal(r.Expected, r.Ranked);
        Assert.Equal("vm-b", r.Candidate);
        Assert.Equal(7, r.NrWindows);                 // aggregations ending at 300, 400, ..., 900 ms... and 1 s (scored from 250 ms)
    }

    /// <summary>Reads are dropped by the filter: an estimate counts stores only, within a factor the Poisson inversion allows.</summary>
    [Fact]
    public void The_estimates_are_of_the_stores_not_of_all_accesses()
    {
        foreach (var e in Result.Value.Processes)
            Assert.InRange(e.DamonBytesPerS / e.TrueBytesPerS, 0.5, 1.5);
    }
}
