using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Tiering.Tests.ReportUseCases;

/// <summary>
/// The NUMA-placement use case, shortened (0.5 s of all-local work per thread). Expectations come
/// from the setup: half the threads send OwnShare of their accesses to the other node's region
/// and half send 1 − OwnShare, so with everything on node 0 the remote ratio is
/// (OwnShare + 1 − OwnShare) / 2 = 0.5; once B is next to socket 1 it is 1 − OwnShare = 0.03.
/// The tolerances are binomial: ~8 × 5.4 M accesses give a standard deviation below 1e-4.
/// </summary>
public class PlacementScenarioTests
{
    private static readonly PlacementOptions Short = new() { LocalWorkUs = 500_000 };
    private static readonly Lazy<PlacementResult> Result = new(() => PlacementScenario.Run(Short));
    private const ulong MiB = 1UL << 20;

    [Fact]
    public void Without_migration_everything_stays_on_node_0_and_half_the_accesses_are_remote()
    {
        var r = Result.Value.Before;
        Assert.Equal((0ul, 64 * MiB, 0ul), (r.MigratedBytes, r.ANodeBytes, r.BNodeBytes));
        Assert.InRange(r.RemoteRatio, 0.5 - 1e-3, 0.5 + 1e-3);
        Assert.InRange(r.RemoteRatioSettled, 0.5 - 2e-3, 0.5 + 2e-3);
    }

    [Fact]
    public void Per_cpu_schemes_move_all_of_B_next_to_socket_1_and_keep_A_on_node_0()
    {
        var r = Result.Value.Damon;
        Assert.Equal((64 * MiB, 64 * MiB), (r.ANodeBytes, r.BNodeBytes));
        Assert.Equal(64 * MiB, r.MigratedBytes);
        // Settled, the ratio is the workload's own cross traffic, 1 − OwnShare, and meets the 0.05.
        Assert.InRange(r.RemoteRatioSettled, 0.03 - 2e-3, 0.03 + 2e-3);
        Assert.True(r.RuntimeS < Result.Value.Before.RuntimeS, $"{r.RuntimeS} s vs {Result.Value.Before.RuntimeS} s");
    }

    /// <summary>
    /// Without migration a socket-1 thread's access costs at least compute + 0.97 × 189 ns + 0.03 × 90 ns
    /// (idle latencies; load only adds), the main thread's first writes excluded.
    /// </summary>
    [Fact]
    public void Runtime_before_is_at_least_the_remote_bound()
    {
        double accesses = (ulong)(Short.LocalWorkUs * 1000 / (Short.ComputeNsPerAccess + 90));
        double boundS = accesses * (Short.ComputeNsPerAccess + 0.97 * 189 + 0.03 * 90) / 1e9;
        Assert.True(Result.Value.Before.RuntimeS >= boundS * (1 - 1e-3), $"{Result.Value.Before.RuntimeS} < {boundS}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        Assert.Equal(Result.Value.Damon, PlacementScenario.RunOne(Short, PlacementScenario.DamonPerCpu));
    }
}
