using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Tiering.Tests.ReportUseCases;

public class ThreadAttributionScenarioTests
{
    /// <summary>What <c>damon bench reports</c> runs by default: 2 s, the first 0.5 s not scored.</summary>
    private static readonly ThreadAttributionOptions Short = new ReportsBenchOptions().ThreadAttribution;
    private static readonly Lazy<ThreadAttributionResult> Result = new(() => ThreadAttributionScenario.Run(Short));

    [Fact]
    public void Each_thread_s_context_finds_its_own_range_hot_and_nothing_else()
    {
        var r = Result.Value;
        Assert.True(r.Precision >= 0.95, $"precision {r.Precision}");
        Assert.True(r.Recall >= 0.95, $"recall {r.Recall}");
    }

    [Fact]
    public void Truth_is_one_hot_range_per_scored_aggregation_of_each_context()
    {
        var r = Result.Value;
        Assert.Equal((ulong)r.NrWindows * Short.HotBytes, r.TrueBytes);
        Assert.Equal(0, r.NrWindows % Short.NrThreads);
    }
}
