using System.Runtime.CompilerServices;
using Damon.Sim.Memory;
using Damon.Sim.Reports;
using Damon.Sim.Workloads.Rng;

namespace Damon.Sim.Machine;

public sealed partial class SimMachine
{
    /// <summary>PEBS on the LLC-miss and store events, or null (<see cref="EnablePebs"/>).</summary>
    public SimPebs? Pebs { get; private set; }

    private Xoshiro256 _pebsRng;

    /// <summary>
    /// Index of a thread's <see cref="SimThread.PebsLeft"/> counters: one per node for LLC-missing
    /// loads served there, then stores, then a sink that LLC-hitting loads count into (no event), so
    /// the access loop picks a counter without a branch.
    /// </summary>
    internal int PebsStoreEvent => NrNodes;
    internal int PebsNoEvent => NrNodes + 1;

    /// <summary>
    /// Start PEBS with <paramref name="period"/> events per sample on every thread, present and
    /// future; the first overflow of each counter falls at a point of its first period drawn from
    /// the machine's seed. Enabling twice keeps the first period.
    /// </summary>
    public SimPebs EnablePebs(ulong period)
    {
        if (period == 0)
            throw new ArgumentOutOfRangeException(nameof(period), "a PEBS sample period must be at least 1");
        if (Pebs is { } on)
            return on.Period == period ? on : throw new InvalidOperationException($"PEBS is already on with period {on.Period}");
        Pebs = new SimPebs(period);
        _pebsRng = new Xoshiro256(SplitMix64.Derive(Seed, 0x5045_4253UL));
        foreach (var th in _threads)
            if (th is not null)
                ArmPebs(th);
        return Pebs;
    }

    /// <summary>A new thread's counters: idle (never overflowing in a run) unless PEBS is on.</summary>
    private void InitPebsCounters(SimThread th)
    {
        th.PebsLeft = new ulong[NrNodes + 2];
        Array.Fill(th.PebsLeft, ulong.MaxValue);
        if (Pebs is not null)
            ArmPebs(th);
    }

    private void ArmPebs(SimThread th)
    {
        for (int ev = 0; ev < PebsNoEvent; ev++)
            th.PebsLeft[ev] = 1 + _pebsRng.NextBelow(Pebs!.Period);
    }

    /// <summary>A counter of <paramref name="th"/> reached zero at this access: write the record, return the reload value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong PebsOverflow(SimThread th, int ev, ulong addr, int node)
    {
        // PEBS off: a sink counter that ran through 2^64 events starts again.
        if (Pebs is not { } pebs || ev == PebsNoEvent)
            return ulong.MaxValue;
        pebs.Add(new PebsSample(th.Process.Pid, th.Tid, addr, node, ev == PebsStoreEvent));
        return pebs.Period;
    }
}
