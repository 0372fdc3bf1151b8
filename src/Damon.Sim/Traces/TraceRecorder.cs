using Damon.Sim.Workloads;

namespace Damon.Sim.Traces;

/// <summary>
/// Wraps any workload and writes everything it does (processes, threads, mappings, and each
/// batch of accesses with its start time and compute time) to a binary trace, while passing it
/// through unchanged. The trace is completed (end marker, rename into place) when every thread
/// has finished, or by <see cref="Complete"/> when a run is stopped early; disposing an
/// uncompleted recorder leaves no file behind.
/// </summary>
public sealed class TraceRecorder : IWorkload, IDisposable
{
    private readonly IWorkload _inner;
    private readonly TraceWriter _writer;
    private readonly Dictionary<int, int> _tracePidOfPid = [];
    private readonly Dictionary<int, int> _threadOfTid = [];
    private readonly HashSet<int> _finished = [];
    private RecordingHost? _host;

    public TraceRecorder(IWorkload inner, string tracePath, uint pageSize = 4096)
    {
        _inner = inner;
        _writer = new TraceWriter(tracePath, pageSize);
    }

    public string Name => _inner.Name;
    public bool IsCompleted { get; private set; }
    public long NrAccesses => _writer.NrAccesses;

    public void Setup(IWorkloadHost host) => _inner.Setup(HostFor(host));

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        if (IsCompleted) throw new InvalidOperationException("the trace is already completed");
        if (!_threadOfTid.TryGetValue(tid, out int thread))
            throw new ArgumentException($"{Name}: tid {tid} was not created by the recorded workload", nameof(tid));
        _writer.BeginBatch(thread, nowNs);
        int n = _inner.NextBatch(HostFor(host), tid, nowNs, batch, out computeNs);
        _writer.Append(batch[..n]);
        _writer.EndBatch(computeNs);
        if (n == 0 && _finished.Add(tid) && _finished.Count == _threadOfTid.Count) Complete();
        return n;
    }

    /// <summary>Finishes the trace now (e.g. when the run stops before the workload ends).</summary>
    public void Complete()
    {
        if (IsCompleted) return;
        _writer.Complete();
        IsCompleted = true;
    }

    public void Dispose() => _writer.Dispose();

    private RecordingHost HostFor(IWorkloadHost host)
    {
        if (_host is null || !ReferenceEquals(_host.Inner, host)) _host = new RecordingHost(this, host);
        return _host;
    }

    private sealed class RecordingHost(TraceRecorder rec, IWorkloadHost inner) : IWorkloadHost
    {
        public IWorkloadHost Inner => inner;
        public ulong Seed => inner.Seed;

        public int CreateProcess(string name, ulong memcgId = 0)
        {
            int pid = inner.CreateProcess(name, memcgId);
            rec._tracePidOfPid[pid] = rec._writer.AddProcess(name, memcgId);
            return pid;
        }

        public int CreateThread(int pid, int cpu)
        {
            int tid = inner.CreateThread(pid, cpu);
            rec._threadOfTid[tid] = rec._writer.AddThread(rec._tracePidOfPid[pid], cpu);
            return tid;
        }

        public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null)
        {
            ulong addr = inner.Mmap(pid, sizeBytes, flags, policy);
            rec._writer.Mmap(rec._tracePidOfPid[pid], addr, sizeBytes, flags, policy);
            return addr;
        }

        public ulong Brk(int pid, ulong growBytes)
        {
            ulong addr = inner.Brk(pid, growBytes);
            rec._writer.Brk(rec._tracePidOfPid[pid], addr, growBytes);
            return addr;
        }

        public void Munmap(int pid, ulong addr, ulong sizeBytes)
        {
            inner.Munmap(pid, addr, sizeBytes);
            rec._writer.Munmap(rec._tracePidOfPid[pid], addr, sizeBytes);
        }
    }
}
