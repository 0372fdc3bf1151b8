namespace Damon.Sim.Reports;

/// <summary>
/// One PEBS record as HeMem's perf buffers deliver it (PERF_SAMPLE_TID | PERF_SAMPLE_ADDR): who,
/// which data address, and which event overflowed. <see cref="Node"/> is where the access was
/// served: for a load, the event (MEM_LOAD_L3_MISS_RETIRED.LOCAL_DRAM on the fast node,
/// .REMOTE_DRAM / MEM_LOAD_RETIRED.LOCAL_PMM on a slow one) names it; for a store it is informative.
/// </summary>
public readonly record struct PebsSample(int Pid, int Tid, ulong Vaddr, int Node, bool Store);

/// <summary>
/// Precise event-based sampling as HeMem programs it (cuhk-mass/hemem src/pebs.c perf_setup, one
/// counter per CPU per event, attr.sample_period = SAMPLE_PERIOD): per thread, one counter of
/// LLC-missing loads per serving node and one of all retired stores
/// (MEM_INST_RETIRED.ALL_STORES, hit or miss). Every <see cref="Period"/>-th event of a counter
/// writes a record to the buffer. A load the LLC serves is no event, so a cache-resident hot set
/// is invisible to the load counters. With the cache model off every access is an LLC miss. The
/// machine counts in its access loop (<see cref="Machine.SimMachine.EnablePebs"/>); each
/// counter's first overflow falls at a seeded point of its first period (a fixed first phase
/// would line every thread's samples up), then exactly every period. Beside
/// <see cref="SimPmuSampler"/>, which samples any access for DAMON's access reports, this one
/// counts only HeMem's three events, inside the access loop; neither charges the sampled thread
/// for a sample's PEBS assist or buffer write (docs/simulator.md, "PEBS").
/// </summary>
public sealed class SimPebs
{
    private List<PebsSample> _buffer = [];
    private List<PebsSample> _spare = [];

    internal SimPebs(ulong period) => Period = period;

    /// <summary>Events per sample, each counter.</summary>
    public ulong Period { get; }
    /// <summary>Records written so far.</summary>
    public ulong NrSamples { get; private set; }

    internal void Add(in PebsSample s)
    {
        NrSamples++;
        _buffer.Add(s);
    }

    /// <summary>
    /// The records written since the last drain, oldest first (the reader's data_tail catching up
    /// with data_head). The list stays valid until the next drain.
    /// </summary>
    public IReadOnlyList<PebsSample> Drain()
    {
        (_buffer, _spare) = (_spare, _buffer);
        _buffer.Clear();
        return _spare;
    }
}
