namespace Damon.Sim.Memory;

/// <summary>A simulated thread pinned to a CPU, with its own clock in simulated nanoseconds.</summary>
public sealed class SimThread
{
    internal SimThread(int tid, SimProcess process, int cpu, int socket)
    {
        Tid = tid;
        Process = process;
        Cpu = cpu;
        Socket = socket;
    }

    public int Tid { get; }
    public SimProcess Process { get; }
    public int Cpu { get; }
    public int Socket { get; }
    public ulong ClockNs { get; internal set; }
    public bool Finished { get; internal set; }

    public ulong NrAccesses { get; internal set; }
    /// <summary>Time spent waiting for memory (latency of every access).</summary>
    public ulong MemoryNs { get; internal set; }
    public ulong ComputeNs { get; internal set; }
    /// <summary>Faults, direct reclaim and synchronous migration charged to this thread.</summary>
    public ulong StallNs { get; internal set; }
    public ulong NrFaults { get; internal set; }
    /// <summary>The thread's TLB; null when the machine models no caches (<c>MachineSpec.Caches</c> off).</summary>
    public Tlb? Tlb { get; internal set; }
    /// <summary>Thread time of the next switch to another address space that flushes <see cref="Tlb"/>; ulong.MaxValue for none.</summary>
    internal ulong NextTlbSwitchNs { get; set; } = ulong.MaxValue;
    /// <summary>Context switches that flushed the thread's TLB (CacheSpec.TlbContextSwitchUs).</summary>
    public ulong NrTlbSwitchFlushes { get; internal set; }
    /// <summary>Accesses whose translation missed the TLB (a page walk each).</summary>
    public ulong NrTlbMisses { get; internal set; }
    /// <summary>Accesses served by the socket's last-level cache rather than a node.</summary>
    public ulong NrLlcHits { get; internal set; }
    /// <summary>The thread's simulated time so far, the denominator of every ns-per-access figure.</summary>
    public ulong BusyNs => ComputeNs + MemoryNs + StallNs;
    /// <summary>
    /// Events left before each PEBS counter overflows (SimMachine.EnablePebs): LLC-missing loads
    /// per node, stores, and a sink for LLC hits; ulong.MaxValue (never, in a run) while PEBS is off.
    /// </summary>
    internal ulong[] PebsLeft { get; set; } = [];
    /// <summary>Accesses served by each node.</summary>
    public ulong[] NodeAccesses { get; internal set; } = [];

    public override string ToString() => $"tid {Tid} cpu {Cpu} t={ClockNs}ns";
}
