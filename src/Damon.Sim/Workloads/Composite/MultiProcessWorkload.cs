using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Workloads.Composite;

/// <summary>
/// One part of a <see cref="MultiProcessWorkload"/>: a workload, the memcg its processes join (0:
/// root), and the node its memory is bound to (numactl --membind; null: the default policy).
/// </summary>
public sealed record WorkloadPart(IWorkload Workload, ulong MemcgId = 0, int? MembindNode = null);

/// <summary>
/// Several workloads side by side, each in its own processes and memory cgroup, all running from
/// time 0 (e.g. a cold bulk allocation next to a key-value store). Each part sees its own seed,
/// derived from the host's, so adding a part does not change the others' streams.
/// </summary>
public sealed class MultiProcessWorkload : IWorkload
{
    private readonly WorkloadPart[] _parts;
    private readonly Dictionary<int, int> _partOfTid = [];

    public MultiProcessWorkload(IReadOnlyList<WorkloadPart> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("a multi-process workload needs at least one part");
        _parts = parts.ToArray();
        Name = string.Join("+", _parts.Select(p => p.Workload.Name));
    }

    public string Name { get; }
    public IReadOnlyList<WorkloadPart> Parts => _parts;

    public void Setup(IWorkloadHost host)
    {
        for (int i = 0; i < _parts.Length; i++)
        {
            int part = i;
            IWorkloadHost partHost = new MemcgHost(host, _parts[i].MemcgId, tid => _partOfTid[tid] = part);
            if (_parts[i].MembindNode is int node)
                partHost = new MembindHost(partHost, host as Damon.Sim.Machine.SimMachine, node);
            var sub = new SeededHost(partHost, SplitMix64.Derive(host.Seed, 0x9A27_0000UL + (ulong)i));
            _parts[i].Workload.Setup(sub);
        }
    }

    public int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs)
    {
        if (!_partOfTid.TryGetValue(tid, out int part))
            throw new ArgumentException($"{Name}: tid {tid} is not one of this workload's threads", nameof(tid));
        return _parts[part].Workload.NextBatch(host, tid, nowNs, batch, out computeNs);
    }

    private sealed class SeededHost(IWorkloadHost inner, ulong seed) : IWorkloadHost
    {
        public ulong Seed => seed;
        public int CreateProcess(string name, ulong memcgId = 0) => inner.CreateProcess(name, memcgId);
        public int CreateThread(int pid, int cpu) => inner.CreateThread(pid, cpu);
        public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null) =>
            inner.Mmap(pid, sizeBytes, flags, policy);
        public ulong Brk(int pid, ulong growBytes) => inner.Brk(pid, growBytes);
        public void Munmap(int pid, ulong addr, ulong sizeBytes) => inner.Munmap(pid, addr, sizeBytes);
    }
}
