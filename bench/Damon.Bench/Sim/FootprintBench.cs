using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Sim.Machine;
using Damon.Sim.Running;
using Damon.Sim.Workloads;

namespace Damon.Bench.Sim;

/// <summary>
/// Memory per simulated page at a large footprint: populate <see cref="FootprintGiB"/> (as THP, so
/// the run is short; the per-frame state is the same for base pages) and monitor it with vaddr at
/// 1,000 regions for one aggregation interval. The Allocated column divided by the page count is
/// the bytes of state per 4 KiB page (the limit: 16); the method also returns the frame-table
/// plus page-table bytes per page.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class FootprintBench
{
    [Params(1, 64, 1024)]
    public ulong FootprintGiB { get; set; }

    [Benchmark]
    public ulong PopulateAndMonitor()
    {
        ulong bytes = FootprintGiB << 30;
        var spec = MachineSpec.DefaultTwoTier(bytes + (1UL << 30), 1UL << 30) with { LinuxDefault = false };
        var w = new PopulateOnce(bytes);
        var sim = new Simulation(spec, w, seed: 1, batchSize: 4096);
        var ctx = sim.AddContext(OperationsId.Vaddr, MonitoringAttrs.Default with { MinNrRegions = 1000, MaxNrRegions = 1000 });
        sim.AddVaddrTarget(ctx, w.Pid);
        while (!sim.WorkloadFinished)
            sim.RunFor(1_000_000);
        sim.RunFor(100_000);
        long state = sim.Machine.Frames.StateBytes + sim.Machine.Process(w.Pid).PageTable.StateBytes;
        return (ulong)state / (bytes >> 12);
    }

    /// <summary>Touches each 2 MiB of one THP mapping once, then stays idle.</summary>
    private sealed class PopulateOnce(ulong bytes) : IWorkload
    {
        private ulong _next;
        private ulong _base;
        public int Pid { get; private set; }
        public string Name => "populate";

        public void Setup(IWorkloadHost host)
        {
            Pid = host.CreateProcess("populate");
            host.CreateThread(Pid, 0);
            _base = host.Mmap(Pid, bytes, MapFlags.Thp);
        }

        public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
        {
            computeNs = 0;
            int n = 0;
            while (n < batch.Length && _next < bytes)
            {
                batch[n++] = new MemAccess(_base + _next, true);
                _next += 2UL << 20;
            }
            return n;
        }
    }
}
