namespace Damon.Sim.Workloads;

/// <summary>What a workload may ask of the simulated machine, while setting up or while running.</summary>
public interface IWorkloadHost
{
    /// <summary>Seed for the workload's own random choices, so runs are reproducible.</summary>
    ulong Seed { get; }

    /// <summary>Create a process in a memory cgroup (0: the root cgroup); returns its pid.</summary>
    int CreateProcess(string name, ulong memcgId = 0);

    /// <summary>Create a thread of <paramref name="pid"/> pinned to <paramref name="cpu"/>; returns its tid.</summary>
    int CreateThread(int pid, int cpu);

    /// <summary>Map <paramref name="sizeBytes"/> in the process's mmap area (Linux layout); returns the page-aligned start.</summary>
    ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null);

    /// <summary>Grow the heap (brk) by <paramref name="growBytes"/>; returns the start of the new part.</summary>
    ulong Brk(int pid, ulong growBytes);

    /// <summary>Unmap a range; its pages are freed.</summary>
    void Munmap(int pid, ulong addr, ulong sizeBytes);
}

/// <summary>
/// A program the simulated machine runs: it sets up processes, threads and mappings once, then
/// produces each thread's accesses in batches, in the thread's simulated time.
/// </summary>
public interface IWorkload
{
    string Name { get; }

    void Setup(IWorkloadHost host);

    /// <summary>
    /// Fill <paramref name="batch"/> with the next accesses of thread <paramref name="tid"/>, whose
    /// simulated clock reads <paramref name="nowNs"/>. Returns how many were written; 0 means the
    /// thread has finished. <paramref name="computeNs"/> is the CPU time the batch takes besides
    /// memory latency. A workload may call <paramref name="host"/> (mmap, munmap) between batches.
    /// </summary>
    int NextBatch(IWorkloadHost host, int tid, ulong nowNs, Span<MemAccess> batch, out ulong computeNs);
}
