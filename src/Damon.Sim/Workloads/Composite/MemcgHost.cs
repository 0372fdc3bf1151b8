namespace Damon.Sim.Workloads.Composite;

/// <summary>
/// Passes calls through to the real host, putting every process the inner workload creates into
/// one memory cgroup and reporting the threads it creates, so a composite can route batches.
/// </summary>
internal sealed class MemcgHost(IWorkloadHost inner, ulong memcgId, Action<int> onThread) : IWorkloadHost
{
    public ulong Seed => inner.Seed;
    public int CreateProcess(string name, ulong memcgId_) => inner.CreateProcess(name, memcgId_ != 0 ? memcgId_ : memcgId);
    public int CreateThread(int pid, int cpu)
    {
        int tid = inner.CreateThread(pid, cpu);
        onThread(tid);
        return tid;
    }
    public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null) =>
        inner.Mmap(pid, sizeBytes, flags, policy);
    public ulong Brk(int pid, ulong growBytes) => inner.Brk(pid, growBytes);
    public void Munmap(int pid, ulong addr, ulong sizeBytes) => inner.Munmap(pid, addr, sizeBytes);
}
