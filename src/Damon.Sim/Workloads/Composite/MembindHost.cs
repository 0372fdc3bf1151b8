using Damon.Sim.Machine;

namespace Damon.Sim.Workloads.Composite;

/// <summary>
/// numactl --membind=N for one part of a workload: every mapping the part makes without a policy
/// of its own gets MPOL_BIND to node <paramref name="node"/>, and so does heap it grows with brk,
/// so its pages are faulted in there wherever its threads run. Moving them later is not the
/// policy's business: DAMON's migrate actions (damon_migrate_pages -> migrate_pages with the
/// scheme's node) and the machine's migrations do not consult the VMA policy, as in Linux.
/// </summary>
public sealed class MembindHost(IWorkloadHost inner, SimMachine? machine, int node) : IWorkloadHost
{
    private readonly MemPolicy _bind = new(MemPolicyMode.Bind, [node]);

    public ulong Seed => inner.Seed;
    public int CreateProcess(string name, ulong memcgId = 0) => inner.CreateProcess(name, memcgId);
    public int CreateThread(int pid, int cpu) => inner.CreateThread(pid, cpu);
    public ulong Mmap(int pid, ulong sizeBytes, MapFlags flags = MapFlags.Anon, MemPolicy? policy = null) =>
        inner.Mmap(pid, sizeBytes, flags, policy ?? _bind);

    public ulong Brk(int pid, ulong growBytes)
    {
        ulong start = inner.Brk(pid, growBytes);
        // The heap is one VMA; binding the grown part splits it there, as mbind would.
        if (growBytes != 0)
            (machine ?? throw new InvalidOperationException("membind of heap memory needs the simulated machine as host"))
                .SetPolicy(pid, start, growBytes, _bind);
        return start;
    }

    public void Munmap(int pid, ulong addr, ulong sizeBytes) => inner.Munmap(pid, addr, sizeBytes);
}
