using Damon.Tiering.ReportUseCases;
using Xunit;

namespace Damon.Tiering.Tests.ReportUseCases;

/// <summary>
/// The NUMA-placement use case, shortened (1 s of all-local work per thread). Expectations come
/// from the setup: with everything on node 0, socket 0's threads are all local and socket 1's all
/// remote, and every thread makes the same number of accesses, so the ratio is exactly 0.5. Once
/// B is next to socket 1 only the cross traffic is remote, 1 − OwnShare = 0.03 of every thread's
/// accesses; the tolerance is binomial (millions of accesses: a standard deviation below 1e-4)
/// plus what is still moving when the settled window opens.
/// </summary>
public class PlacementScenarioTests
{
    private static readonly PlacementOptions Short = new() { LocalWorkUs = 1_000_000 };
    private static readonly Lazy<PlacementResult> Result = new(() => PlacementScenario.Run(Short));
    private const ulong MiB = 1UL << 20;

    [Fact]
    public void Without_migration_everything_stays_on_node_0_and_half_the_accesses_are_remote()
    {
        var r = Result.Value.Before;
        Assert.Equal((0ul, 64 * MiB, 0ul), (r.MigratedBytes, r.ANodeBytes, r.BNodeBytes));
        Assert.Equal(0.5, r.RemoteRatio);
    }

    [Fact]
    public void Per_cpu_schemes_move_all_of_B_next_to_socket_1_and_keep_A_on_node_0()
    {
        var r = Result.Value.Damon;
        Assert.Equal(64 * MiB, r.ANodeBytes);
        // All of B but what a region straddling A and B may still hold back at the end of a 1 s job.
        Assert.InRange(r.BNodeBytes, 64 * MiB - 64 * 4096, 64 * MiB);
        // At least B; schemes of the two sockets can move a region straddling A and B back and forth.
        Assert.True(r.MigratedBytes >= 64 * MiB, $"{r.MigratedBytes}");
        // Settled, the ratio is the workload's own cross traffic, 1 − OwnShare, and meets the 0.05.
        Assert.InRange(r.RemoteRatioSettled, 0.03 - 1e-3, 0.03 + 5e-3);
        Assert.True(r.RuntimeS < Result.Value.Before.RuntimeS, $"{r.RuntimeS} s vs {Result.Value.Before.RuntimeS} s");
    }

    /// <summary>
    /// Without migration every access of a socket-1 thread is remote: at least compute + 189 ns
    /// (idle latency; load only adds), the main thread's first writes excluded.
    /// </summary>
    [Fact]
    public void Runtime_before_is_at_least_the_remote_bound()
    {
        double accesses = (ulong)(Short.LocalWorkUs * 1000 / (Short.ComputeNsPerAccess + 90));
        double boundS = accesses * (Short.ComputeNsPerAccess + 189) / 1e9;
        Assert.True(Result.Value.Before.RuntimeS >= boundS, $"{Result.Value.Before.RuntimeS} < {boundS}");
    }

    /// <summary>
    /// NUMA balancing marks nothing before scan_delay (1 s of the process's time), so all the
    /// remote accesses before it stay; then it moves B towards socket 1, as DAMON did, but later.
    /// </summary>
    [Fact]
    public void Numa_balancing_does_the_same_job_later()
    {
        var p = Result.Value;
        Assert.True(p.NumaBalancing.BNodeBytes > 0);
        Assert.True(p.NumaBalancing.Faults > 0);
        Assert.True(p.NumaBalancing.RemoteRatio > p.Damon.RemoteRatio && p.NumaBalancing.RemoteRatio < p.Before.RemoteRatio,
            $"{p.Damon.RemoteRatio} < {p.NumaBalancing.RemoteRatio} < {p.Before.RemoteRatio}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        Assert.Equal(Result.Value.Damon, PlacementScenario.RunOne(Short, PlacementScenario.DamonPerCpu));
    }
}
