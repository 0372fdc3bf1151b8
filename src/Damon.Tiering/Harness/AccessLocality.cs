using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Tiering.Harness;

/// <summary>
/// Local and remote accesses of a set of threads: an access is local when the node that served
/// it is the one local to the accessing CPU's socket. The accessor scenarios' meter and the
/// access-report placement use case both measure their remote ratio with it.
/// </summary>
public static class AccessLocality
{
    /// <summary>The threads' cumulative accesses served by their CPU's local node, and by any other node.</summary>
    public static (ulong Local, ulong Remote) Count(SimMachine m, IEnumerable<SimThread> threads)
    {
        ulong local = 0, remote = 0;
        foreach (var t in threads)
        {
            ulong l = t.NodeAccesses[m.LocalNodeOfCpu(t.Cpu)];
            local += l;
            remote += t.NrAccesses - l;
        }
        return (local, remote);
    }
}
