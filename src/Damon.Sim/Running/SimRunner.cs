using Damon.Core.Drivers;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;

namespace Damon.Sim.Running;

/// <summary>
/// Runs a workload on the machine in simulated time: always the thread with the smallest clock,
/// one batch at a time, then the background (latency windows, kswapd) up to that moment. As the
/// <see cref="IVirtualWorld"/> of a <see cref="VirtualTimeDriver"/>, it is what lets kdamonds
/// sample every sample interval of simulated time.
/// </summary>
public sealed class SimRunner : IVirtualWorld
{
    private readonly MemAccess[] _batch;

    public SimRunner(SimMachine machine, IWorkload workload, int batchSize = 256)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), "a batch holds at least one access");
        Machine = machine;
        Workload = workload;
        _batch = new MemAccess[batchSize];
    }

    /// <summary>
    /// How many accesses thread <paramref name="tid"/>'s next batch may hold: all of
    /// <c>batchSize</c>, unless (with <see cref="LoadedLatencySpec.FollowLoad"/>) at the pace of its last batch they would take longer than a quarter
    /// of a loaded-latency window. A batch runs at the latency of the window it starts in and books
    /// its bytes to that window, so a batch as long as a window charges its later accesses a stale
    /// latency and lands its load a window early; on the bandwidth scenarios (256 accesses of ~500 ns,
    /// 130 µs a batch) that put the simulator 20 % above the loaded-latency model's steady state,
    /// and batches of a quarter window or less bring it within 1 % (docs/results/bandwidth.md).
    /// Threads faster than a quarter window per full batch (most workloads) are unchanged.
    /// </summary>
    internal int BatchLength(int tid)
    {
        var ll = Machine.Spec.LoadedLatency;
        if (!ll.Enabled || !ll.FollowLoad || tid >= _nsPerAccess.Length || _nsPerAccess[tid] <= 0)
            return _batch.Length;
        double quarterWindowNs = ll.WindowUs * 1000 / 4.0;
        return (int)Math.Clamp(quarterWindowNs / _nsPerAccess[tid], 1, _batch.Length);
    }

    private void NoteBatch(int tid, int n, ulong tookNs)
    {
        // Only BatchLength reads the pace, and only when batches follow the load.
        if (Machine.Spec.LoadedLatency is not { Enabled: true, FollowLoad: true })
            return;
        if (tid >= _nsPerAccess.Length)
            Array.Resize(ref _nsPerAccess, Math.Max(tid + 1, _nsPerAccess.Length * 2));
        _nsPerAccess[tid] = (double)tookNs / n;
    }

    // Per tid: the last batch's simulated ns per access, for BatchLength.
    private double[] _nsPerAccess = new double[16];

    public SimMachine Machine { get; }
    public IWorkload Workload { get; }
    public ulong NowNs { get; private set; }
    public ulong NrBatches { get; private set; }
    /// <summary>Host time spent running the workload (Stopwatch ticks), so a harness can tell the monitor's own cost apart.</summary>
    public long WorldTicks { get; private set; }

    public bool AllThreadsFinished
    {
        get
        {
            foreach (var t in Machine.ThreadSlots)
                if (t is not null && !t.Finished) return false;
            return true;
        }
    }

    public void AdvanceTo(ulong nowUs) => AdvanceTo(nowUs, CancellationToken.None);

    public void AdvanceTo(ulong nowUs, CancellationToken cancel)
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            RunUntilNs(nowUs * 1000, cancel);
        }
        finally
        {
            WorldTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        }
    }

    /// <summary>
    /// Run the workload up to <paramref name="targetNs"/>. <paramref name="cancel"/> is checked
    /// before every batch: one advance can be seconds of simulated workload (a long sample
    /// interval), and a cancelled run must not wait for it.
    /// </summary>
    public void RunUntilNs(ulong targetNs, CancellationToken cancel = default)
    {
        var threads = Machine.ThreadSlots;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            SimThread? next = null;
            for (int i = 1; i < threads.Count; i++)
            {
                var t = threads[i];
                if (t is not null && !t.Finished && (next is null || t.ClockNs < next.ClockNs))
                    next = t;
            }
            if (next is null || next.ClockNs >= targetNs)
                break;
            ulong startNs = next.ClockNs;
            Machine.Tick(startNs);
            int n = Workload.NextBatch(Machine, next.Tid, startNs, _batch.AsSpan(0, BatchLength(next.Tid)), out ulong computeNs);
            if (n <= 0)
            {
                next.Finished = true;
                continue;
            }
            Machine.RunBatch(next, _batch.AsSpan(0, n), computeNs);
            NoteBatch(next.Tid, n, next.ClockNs - startNs);
            NrBatches++;
        }
        if (targetNs > NowNs)
        {
            Machine.Tick(targetNs);
            NowNs = targetNs;
        }
    }
}
