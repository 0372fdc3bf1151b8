using Damon.Tiering.Harness;
using Damon.Tiering.Scenarios;
using Damon.Sim.Operations;
using Damon.Tiering.Thp;
using Xunit;

namespace Damon.Tiering.Tests.Thp;

public class ThpBenchTests
{
    private const ulong MiB = 1UL << 20;

    /// <summary>The machine both scenarios run on: 256 MiB of DRAM and 256 MiB of CXL, one 16-CPU socket.</summary>
    private const string TwoTierMachine = """
        machine:
          nodes:
            - { capacity: 256MiB, read_latency_ns: 90, bandwidth_gbps: 72 }
            - { capacity: 256MiB, read_latency_ns: 220, bandwidth_gbps: 26, tier: 1 }
          sockets: [ { node: 0, cpus: 16 } ]
          distances: [[10, 20], [20, 10]]
        """;

    /// <summary>A 16 MiB arena (one page in 16 written, then idle) beside a 16 MiB dense reader, 3 s, caches on.</summary>
    private static TieringScenario Small { get; } = ScenarioFile.Parse($$"""
        name: small
        {{TwoTierMachine}}
        duration: 3s
        workloads:
          - { workload: thp-reader, params: { size: 16MiB, cpu: 0 }, thp: always }
          - { workload: thp-reader, params: { size: 16MiB, every: 16, active: never, cpu: 1 }, thp: always }
        """, "small.yaml", ".");

    /// <summary>A 16 MiB reader that uses one page in 8 and reads them all the time: hot THPs, each 7/8 bloat.</summary>
    private static TieringScenario PartlyHot { get; } = ScenarioFile.Parse($$"""
        name: partly-hot
        {{TwoTierMachine}}
        duration: 2s
        workloads:
          - { workload: thp-reader, params: { size: 16MiB, every: 8, cpu: 0 }, thp: always }
        """, "partly-hot.yaml", ".");

    [Theory]
    [InlineData(false, 0UL, 8UL * 448)]
    [InlineData(true, 8UL, 0UL)]
    public void Only_the_underused_scheme_splits_hot_underused_huge_pages(bool underused, ulong splits, ulong finalBloatPages)
    {
        var p = new ThpPolicy("m", "test", true, ThpPolicyKind.Module,
            ThpPolicy.BenchParams with { ColdMinAgeUs = 1_000_000, SplitUnderused = underused }, ThpShrink.Split);
        var r = ThpRun.Run(PartlyHot, p, 1);
        // 8 THPs of 64 used and 448 never-touched subpages each; read all the time, so never cold.
        Assert.Equal(splits, r.NrSplits);
        Assert.Equal(finalBloatPages * 4096, r.FinalBloatBytes);
        // The collapse scheme, kept from blocks over max_ptes_none, does not copy them back.
        Assert.Equal(0UL, r.NrCollapses);
        Assert.Equal(underused ? 0UL : 16 * MiB, r.FinalThpBytes);
        var proc = Assert.Single(r.Processes);
        Assert.Equal(r.NsPerAccess, proc.NsPerAccess, 9);
    }

    private static ThpPolicy Module(ThpShrink shrink) =>
        new("m", "test", true, ThpPolicyKind.Module, ThpPolicy.BenchParams with { ColdMinAgeUs = 1_000_000 }, shrink);

    [Fact]
    public void Thp_always_maps_the_arena_with_huge_pages_whose_untouched_subpages_are_bloat()
    {
        var r = ThpRun.Run(Small, ThpPolicy.Always, 1);
        // Arena: 8 THPs with 32 of 512 subpages touched each; the reader's 8 THPs are fully used.
        Assert.Equal(8UL * 480 * 4096, r.FinalBloatBytes);
        Assert.Equal(32 * MiB, r.FinalThpBytes);
        var never = ThpRun.Run(Small, ThpPolicy.Never, 1);
        Assert.Equal(0UL, never.FinalBloatBytes);
        Assert.Equal(17 * MiB, never.FinalUsedBytes);
        Assert.True(r.NsPerAccess < never.NsPerAccess, $"THP {r.NsPerAccess} ns vs base pages {never.NsPerAccess} ns");
    }

    [Theory]
    [InlineData(ThpShrink.Split, 8UL, 0UL)]
    [InlineData(ThpShrink.MoveOut, 0UL, 8UL)]
    public void The_module_gives_back_the_idle_arenas_huge_pages_and_keeps_the_readers(ThpShrink shrink, ulong splits, ulong moved)
    {
        var r = ThpRun.Run(Small, Module(shrink), 1);
        Assert.Equal(0UL, r.FinalBloatBytes);
        Assert.Equal(16 * MiB, r.FinalThpBytes);
        Assert.Equal(17 * MiB, r.FinalUsedBytes);
        Assert.Equal(splits, r.NrSplits);
        Assert.Equal(moved, r.NrMovedOut);
        Assert.Equal(0UL, r.NrCollapses);
    }

    [Fact]
    public void Ratios_are_against_the_two_baselines_and_null_where_they_cannot_divide()
    {
        var never = new ThpRunResult { Scenario = "s", Policy = "never", NsPerAccess = 130 };
        var always = new ThpRunResult { Scenario = "s", Policy = "always", NsPerAccess = 100, MeanBloatBytes = 200 * MiB };
        var r = new ThpRunResult { Scenario = "s", Policy = "p", NsPerAccess = 109, MeanBloatBytes = 20 * MiB };
        Assert.Equal(0.9, ThpBench.BloatRemoved(always, r)!.Value, 12);
        Assert.Equal(0.7, ThpBench.SpeedupKept(never, always, r)!.Value, 12);
        Assert.Null(ThpBench.BloatRemoved(never, r));
        Assert.Null(ThpBench.SpeedupKept(never, never, r));
    }
}
