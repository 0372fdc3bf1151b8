using Xunit;
using Damon.Sim.Workloads;

namespace Damon.Sim.Tests.Workloads;

/// <summary>
/// A stand-in for the simulated machine: records what a workload asks for, hands out addresses
/// with a Linux-like layout (mmap area growing down, heap growing up), and can run a workload
/// with a simple smallest-clock-first scheduler.
/// </summary>
public sealed class FakeHost(ulong seed = 42, ulong mmapTop = 0x7f00_0000_0000UL, ulong heapBase = 0x5555_5555_0000UL) : IWorkloadHost
{
    public sealed record Mapping(int Pid, ulong Start, ulong Size, MapFlags Flags, MemPolicy? Policy, bool Heap)
    {
        public ulong End => Start + Size;
    }

    private ulong _mmapNext = mmapTop;
    private readonly Dictionary<int, ulong> _brk = [];

    public ulong Seed { get; } = seed;
    public List<(string Name, ulong Memcg)> Processes { get; } = [];
    public List<(int Pid, int Cpu)> Threads { get; } = [];   // index = tid
    public List<Mapping> Mappings { get; } = [];
    public List<(int Pid, ulong Addr, ulong Size)> Unmaps { get; } = [];

    public int CreateProcess(string name, ulong memcgId = 0)
    {
        Processes.Add((name, memcgId));
        return Processes.Count - 1;
    }

    public int CreateThread(int pid, int cpu)
    {
        Assert.InRange(pid, 0, Processes.Count - 1);
        Threads.Add((pid, cpu));
        return Threads.Count - 1;
    }

    public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null)
    {
        Assert.True(sizeBytes > 0);
        ulong len = (sizeBytes + 4095) & ~4095UL;
        ulong align = (flags & MapFlags.Thp) != 0 ? 2UL << 20 : 4096;
        _mmapNext = (_mmapNext - len) & ~(align - 1);
        Mappings.Add(new Mapping(pid, _mmapNext, sizeBytes, flags, policy, false));
        ulong start = _mmapNext;
        _mmapNext -= 4096;   // a guard gap, so mappings are separate VMAs
        return start;
    }

    public ulong Brk(int pid, ulong growBytes)
    {
        ulong start = _brk.TryGetValue(pid, out var b) ? b : heapBase + (ulong)pid * 0x1000_0000UL;
        _brk[pid] = start + growBytes;
        Mappings.Add(new Mapping(pid, start, growBytes, MapFlags.Anon, null, true));
        return start;
    }

    public void Munmap(int pid, ulong addr, ulong sizeBytes) => Unmaps.Add((pid, addr, sizeBytes));

    public bool IsMapped(int pid, ulong addr) => Mappings.Any(m => m.Pid == pid && addr >= m.Start && addr < m.End);

    public int PidOfTid(int tid) => Threads[tid].Pid;

    /// <summary>Result of <see cref="Run"/>: accesses per tid, in order, and each thread's compute time.</summary>
    public sealed record RunResult(Dictionary<int, List<MemAccess>> ByTid, Dictionary<int, ulong> ComputeNs, Dictionary<int, bool> Finished)
    {
        public IEnumerable<MemAccess> All => ByTid.Values.SelectMany(l => l);
    }

    /// <summary>
    /// Runs <paramref name="w"/> (already set up on this host) for at most <paramref name="maxAccesses"/>
    /// accesses or until every thread's clock passes <paramref name="untilNs"/>; each access costs
    /// <paramref name="nsPerAccess"/> plus the batch's compute time. Checks every address is mapped.
    /// </summary>
    public RunResult Run(IWorkload w, long maxAccesses, ulong untilNs = ulong.MaxValue, int batchSize = 4096,
        ulong nsPerAccess = 100, bool checkMapped = true, IEnumerable<int>? tids = null)
    {
        var threads = (tids ?? Enumerable.Range(0, Threads.Count)).ToList();
        var clock = threads.ToDictionary(t => t, _ => 0UL);
        var result = new RunResult(threads.ToDictionary(t => t, _ => new List<MemAccess>()),
            threads.ToDictionary(t => t, _ => 0UL), threads.ToDictionary(t => t, _ => false));
        var batch = new MemAccess[batchSize];
        long total = 0;
        while (total < maxAccesses)
        {
            int tid = -1;
            foreach (var t in threads)
                if (!result.Finished[t] && clock[t] < untilNs && (tid < 0 || clock[t] < clock[tid])) tid = t;
            if (tid < 0) break;
            int room = (int)Math.Min(batchSize, maxAccesses - total);
            int n = w.NextBatch(this, tid, clock[tid], batch.AsSpan(0, room), out ulong computeNs);
            Assert.InRange(n, 0, room);
            if (n == 0) { result.Finished[tid] = true; continue; }
            var list = result.ByTid[tid];
            int pid = Threads[tid].Pid;
            for (int i = 0; i < n; i++)
            {
                if (checkMapped && !IsMapped(pid, batch[i].Addr))
                    Assert.Fail($"tid {tid}: access to unmapped 0x{batch[i].Addr:x}");
                list.Add(batch[i]);
            }
            clock[tid] += (ulong)n * nsPerAccess + computeNs;
            result.ComputeNs[tid] += computeNs;
            total += n;
        }
        return result;
    }
}
