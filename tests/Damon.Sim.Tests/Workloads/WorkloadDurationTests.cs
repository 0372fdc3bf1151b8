using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

/// <summary>
/// The generators run until the run ends unless their spec limits them (docs/workloads.md): a
/// left-out <c>duration</c> is 0, "never", not a hidden 10 s that cuts a longer <c>--duration</c> short.
/// </summary>
public class WorkloadDurationTests
{
    [Theory]
    [InlineData("gups:size=4M")]
    [InlineData("zipf:keys=1000")]
    [InlineData("gauss:size=4M")]
    [InlineData("churn:size=4M")]
    public void LeftOutDurationMeansNever(string spec)
    {
        var w = Assert.IsAssignableFrom<SyntheticWorkload>(WorkloadCatalog.Create(spec));
        Assert.Equal(0UL, w.DurationNs);
    }

    [Theory]
    [InlineData("gups:size=4M,duration=3s", 3_000_000_000UL)]
    [InlineData("zipf:keys=1000,duration=250ms", 250_000_000UL)]
    [InlineData("gauss:size=4M,duration=0s", 0UL)]
    [InlineData("churn:size=4M,duration=1m", 60_000_000_000UL)]
    public void GivenDurationIsKept(string spec, ulong durationNs)
    {
        var w = Assert.IsAssignableFrom<SyntheticWorkload>(WorkloadCatalog.Create(spec));
        Assert.Equal(durationNs, w.DurationNs);
    }
}
