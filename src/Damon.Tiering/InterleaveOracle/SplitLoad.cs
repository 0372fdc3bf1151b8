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
    public static SplitLoad Of(MachineSpec spec, IEnumerable<SimThread> threads) =>
        Of(spec, threads.Select(t => new ThreadCounters(t.Socket, t.NrAccesses, t.NrLlcHits, t.NrTlbMisses, t.BusyNs, t.MemoryNs)));

    /// <summary>
    /// The same from the counters alone. Each thread's walks and LLC hits are priced at its own
    /// socket's cache constants: on a machine whose sockets differ, one socket's constants for all
    /// would put the other socket's walk time into the node time or the other way round.
    /// </summary>
    internal static SplitLoad Of(MachineSpec spec, IEnumerable<ThreadCounters> threads)
    {
        int nr = 0;
        ulong accesses = 0, llcHits = 0, busyNs = 0;
        double nodeNs = 0;
        foreach (var t in threads)
        {
            if (t.NrAccesses == 0) continue;
            nr++;
            accesses += t.NrAccesses;
            llcHits += t.NrLlcHits;
            busyNs += t.BusyNs;
            var cache = spec.Sockets[t.Socket].Cache;
            nodeNs += t.MemoryNs - (double)t.NrTlbMisses * cache.PageWalkNs - (double)t.NrLlcHits * cache.LlcHitNs;
        }
        if (accesses == 0) return new SplitLoad(0, 0, 0);
        return new SplitLoad(nr, (busyNs - nodeNs) / accesses, (double)(accesses - llcHits) / accesses);
    }

    /// <summary>One thread's counters as <see cref="SimThread"/> keeps them.</summary>
    internal readonly record struct ThreadCounters(int Socket, ulong NrAccesses, ulong NrLlcHits, ulong NrTlbMisses, ulong BusyNs, ulong MemoryNs);
}
