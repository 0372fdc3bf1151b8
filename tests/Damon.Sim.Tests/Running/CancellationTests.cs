using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Sim.Workloads;
using Xunit;

namespace Damon.Sim.Tests.Running;

/// <summary>
/// A cancelled run stops at the next workload batch even inside one long advance of the world
/// (a sampling interval of seconds), not at the end of it.
/// </summary>
public class CancellationTests
{
    /// <summary>One thread touching its 1 MiB over and over; cancels the run at batch <see cref="CancelAt"/>.</summary>
    private sealed class LoopWorkload(CancellationTokenSource cts) : IWorkload
    {
        private ulong _start;
        public int CancelAt { get; init; } = 5;
        public int NrBatches { get; private set; }
        public string Name => "loop";

        public void Setup(IWorkloadHost host)
        {
            int pid = host.CreateProcess("loop");
            host.CreateThread(pid, 0);
            _start = host.Mmap(pid, 1 << 20);
        }

        public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
        {
            if (++NrBatches == CancelAt)
                cts.Cancel();
            for (int i = 0; i < batch.Length; i++)
                batch[i] = new MemAccess(_start + (ulong)(i % 256) * 4096, false);
            computeNs = 1_000;
            return batch.Length;
        }
    }

    [Fact]
    public void CancellingInsideOneLongSampleIntervalStopsAtTheNextBatch()
    {
        using var cts = new CancellationTokenSource();
        var workload = new LoopWorkload(cts);
        var sim = new Simulation(TestMachines.TwoTier(), workload, seed: 3);
        var ctx = sim.AddContext(OperationsId.Vaddr, new Damon.Core.Monitoring.MonitoringAttrs
        {
            SampleIntervalUs = 60_000_000,
            AggrIntervalUs = 60_000_000,
            OpsUpdateIntervalUs = 60_000_000,
        });
        sim.AddVaddrTarget(ctx, pid: 1);

        Assert.ThrowsAny<OperationCanceledException>(() => sim.RunFor(600_000_000, cts.Token));

        // Batch 5 cancelled; the check before batch 6 stopped the minute-long advance.
        Assert.Equal(5, workload.NrBatches);
        Assert.Equal(5UL, sim.Runner.NrBatches);
        Assert.Equal(0UL, sim.NowUs);
        sim.Stop();
        Assert.All(sim.Kdamonds, k => Assert.True(k.Finished));
    }
}
