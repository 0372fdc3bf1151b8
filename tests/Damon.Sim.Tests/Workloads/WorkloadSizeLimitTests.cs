using Damon.Sim.Workloads;
using Damon.Sim.Workloads.Catalog;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

/// <summary>
/// Sizes and counts that overflow, or cannot fit the simulated process's 128 TiB user address
/// space, are refused when the spec is parsed, naming the parameter, instead of wrapping into
/// addresses outside every mapping (zipf:keys=10^12 used to fault at 0xfffcd566be600000).
/// </summary>
public class WorkloadSizeLimitTests
{
    private const string Space = "the 128 TiB user address space";
    private const string Staged = "one operation's accesses are staged in memory together";
    private const string Fit = "more than the 128 TiB (140737488355328 bytes) user address space";

    public static TheoryData<string, string> TooLarge() => new()
    {
        { "zipf:keys=1000000000000", $"zipf: keys=1000000000000 × (1024 B value slot + 8 B index slot) needs 1032000000000000 bytes, {Fit}" },
        { "zipf:keys=1000000000000,index=false", $"zipf: keys=1000000000000 × (1024 B value slot) needs 1024000000000000 bytes, {Fit}" },
        // 2^62 × (2^30 + 8) wraps 64 bits; counted in 128 it is refused.
        { "zipf:keys=4611686018427387904,value=1G", $"zipf: keys=4611686018427387904 × (1073741824 B value slot + 8 B index slot) needs 4951760194035009247015600128 bytes, {Fit}" },
        { "zipf:keys=136373535229,value=1000", $"zipf: keys=136373535229 × (1024 B value slot + 8 B index slot) needs 140737488356328 bytes, {Fit}" },
        { "zipf:value=2G", $"value=2G is above the maximum of 1073741824 bytes ({Staged})" },
        { "zipf:value=18446744073709551615", $"value=18446744073709551615 is above the maximum of 1073741824 bytes ({Staged})" },
        { "gups:size=129T", $"size=129T is above the maximum of 140737488355328 bytes ({Space})" },
        { "gups:size=16000000T", $"size=16000000T is above the maximum of 140737488355328 bytes ({Space})" },
        { "gups:elt=2G", $"elt=2G is above the maximum of 1073741824 bytes ({Staged})" },
        { "gauss:size=200T", $"size=200T is above the maximum of 140737488355328 bytes ({Space})" },
        { "churn:size=129T", $"size=129T is above the maximum of 140737488355328 bytes ({Space})" },
        { "churn:size=1T,unit=200T", $"unit=200T is above the maximum of 140737488355328 bytes ({Space})" },
        { "coldbulk:size=129T", $"size=129T is above the maximum of 140737488355328 bytes ({Space})" },
    };

    [Theory]
    [MemberData(nameof(TooLarge))]
    public void Oversized_specs_are_refused_naming_the_parameter(string spec, string reason)
    {
        var e = Assert.Throws<WorkloadFormatException>(() => WorkloadCatalog.Create(spec));
        Assert.Equal($"{spec}: {reason}", e.Message);
    }

    [Fact]
    public void Each_part_of_a_composite_spec_is_checked()
    {
        const string spec = "gups:size=64M+zipf:keys=1000000000000";
        var e = Assert.Throws<WorkloadFormatException>(() => WorkloadCatalog.Create(spec));
        Assert.Equal($"{spec}: zipf: keys=1000000000000 × (1024 B value slot + 8 B index slot) needs 1032000000000000 bytes, {Fit}", e.Message);
    }

    [Theory]
    [InlineData("zipf:keys=136373535228,value=1000")]
    [InlineData("gups:size=128T")]
    [InlineData("gups:elt=1G,size=2G,hot=1G")]
    [InlineData("coldbulk:size=128T")]
    public void The_largest_specs_that_fit_are_accepted(string spec) => Assert.NotNull(WorkloadCatalog.Create(spec));

    /// <summary>Options built in code, not from a spec, are guarded by the constructor.</summary>
    [Fact]
    public void Zipf_options_built_in_code_cannot_wrap_addresses()
    {
        var e = Assert.Throws<ArgumentException>(() => new Damon.Sim.Workloads.Zipf.ZipfKvWorkload(
            new Damon.Sim.Workloads.Zipf.ZipfKvOptions { Keys = 1_000_000_000_000 }));
        Assert.Equal("zipf: 1000000000000 keys do not fit the 128 TiB user address space", e.Message);
    }
}
