using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Tiering.InterleaveOracle;

/// <summary>
/// What the interleave model needs to know of a workload: how many threads issue accesses (each one
/// at a time, as the simulator's threads do), how much of a thread's time per access is not spent
/// at a memory node (compute, stalls, page walks, LLC hits: <see cref="OtherNsPerAccess"/>) and
/// which share of its accesses reaches a node at all (<see cref="MemoryShare"/>, the LLC misses).
/// </summary>
public sealed record SplitLoad(int NrThreads, double OtherNsPerAccess, double MemoryShare)
{
    /// <summary>
    /// The load of <paramref name="threads"/> after a run: their accesses, LLC hits and TLB misses,
    /// and their busy time less what the nodes served (memory time minus walks and LLC hits). Threads
    /// that made no access do not count.
    /// </summary>
    public static SplitLoad Of(MachineSpec spec, IEnumerable<SimThread> threads)
    {
        int nr = 0;
        ulong accesses = 0, llcHits = 0, tlbMisses = 0, busyNs = 0, memoryNs = 0;
        uint walkNs = 0, llcHitNs = 0;
        foreach (var t in threads)
        {
            if (t.NrAccesses == 0) continue;
            nr++;
            accesses += t.NrAccesses;
            llcHits += t.NrLlcHits;
            tlbMisses += t.NrTlbMisses;
            busyNs += t.BusyNs;
            memoryNs += t.MemoryNs;
            var cache = spec.Sockets[t.Socket].Cache;
            (walkNs, llcHitNs) = (cache.PageWalkNs, cache.LlcHitNs);
        }
        if (accesses == 0) return new SplitLoad(0, 0, 0);
        double nodeNs = memoryNs - (double)tlbMisses * walkNs - (double)llcHits * llcHitNs;
        return new SplitLoad(nr, (busyNs - nodeNs) / accesses, (double)(accesses - llcHits) / accesses);
    }
}
