using Xunit;

namespace Damon.Cli.Tests;

public class WorkloadLimitCliTests
{
    /// <summary>keys × value slot used to wrap into an unmapped address (exit 4, segmentation fault); now a bad --workload value.</summary>
    [Fact]
    public async Task Zipf_keys_beyond_the_address_space_are_a_bad_workload_value()
    {
        var r = await DamonCli.Run("sim", "--workload", "zipf:keys=1000000000000", "--duration", "0.01");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("damon: --workload: zipf:keys=1000000000000: zipf: keys=1000000000000 × (1024 B value slot + 8 B index slot) "
            + "needs 1032000000000000 bytes, more than the 128 TiB (140737488355328 bytes) user address space\n", r.Err);
        Assert.Equal("", r.Out);
    }
}
