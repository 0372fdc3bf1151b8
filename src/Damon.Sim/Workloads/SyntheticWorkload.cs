namespace Damon.Sim.Workloads;

/// <summary>
/// Common frame of the generated workloads: one process with <see cref="ThreadPlacement"/> threads,
/// memory mapped at setup, each thread running until its own simulated clock has run
/// <see cref="DurationNs"/> past the end of its warm-up (0: until the workload says it is done), and a
/// fixed CPU cost per access besides memory latency.
/// </summary>
public abstract class SyntheticWorkload : IWorkload
{
    private readonly Dictionary<int, int> _threadOfTid = [];
    private ulong[] _startNs = [];
    private bool[] _started = [];

    protected SyntheticWorkload(string name, ThreadPlacement threads, ulong durationNs, double computeNsPerAccess)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(computeNsPerAccess);
        Name = name;
        Threads = threads;
        DurationNs = durationNs;
        ComputeNsPerAccess = computeNsPerAccess;
    }

    public string Name { get; }
    public ThreadPlacement Threads { get; }
    public ulong DurationNs { get; }
    public double ComputeNsPerAccess { get; }

    /// <summary>The process created at setup.</summary>
    public int Pid { get; private set; } = -1;

    /// <summary>host.Seed as seen at setup; derive per-thread streams from it.</summary>
    protected ulong Seed { get; private set; }

    public void Setup(IWorkloadHost host)
    {
        Seed = host.Seed;
        Pid = host.CreateProcess(Name);
        SetupMemory(host, Pid);
        _startNs = new ulong[Threads.NrThreads];
        _started = new bool[Threads.NrThreads];
        for (int i = 0; i < Threads.NrThreads; i++)
        {
            int tid = host.CreateThread(Pid, Threads.CpuOf(i));
            if (!_threadOfTid.TryAdd(tid, i))
                throw new InvalidOperationException($"{Name}: the host returned tid {tid} twice");
        }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        computeNs = 0;
        if (!_threadOfTid.TryGetValue(tid, out int t))
            throw new ArgumentException($"{Name}: tid {tid} is not one of this workload's threads", nameof(tid));
        // The clock of a thread starts after its warm-up (populate, load), as HeMem and YCSB time
        // only the run phase; duration and timed events (hot-set moves) count from there.
        if (!_started[t] && !InWarmup(t)) { _started[t] = true; _startNs[t] = nowNs; }
        ulong elapsedNs = _started[t] ? nowNs - _startNs[t] : 0;
        if (_started[t] && DurationNs != 0 && elapsedNs >= DurationNs) return 0;
        // A return of 0 means "finished", so an empty batch cannot be answered honestly.
        if (batch.IsEmpty) throw new ArgumentException($"{Name}: the batch is empty", nameof(batch));
        int n = Fill(host, t, elapsedNs, batch);
        computeNs = (ulong)(n * ComputeNsPerAccess);
        return n;
    }

    protected abstract void SetupMemory(IWorkloadHost host, int pid);

    /// <summary>True while thread <paramref name="thread"/> is still in an untimed warm-up phase.</summary>
    protected virtual bool InWarmup(int thread) => false;

    /// <summary>
    /// Write thread <paramref name="thread"/>'s next accesses; <paramref name="elapsedNs"/> is its
    /// simulated time since its first batch. Returns 0 only when the thread is finished.
    /// </summary>
    protected abstract int Fill(IWorkloadHost host, int thread, ulong elapsedNs, Span<MemAccess> batch);
}
