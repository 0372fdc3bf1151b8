using Xunit;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>The TLB's context-switch eviction (CacheSpec.TlbContextSwitchUs), with hand-computed expectations.</summary>
public class TlbContextSwitchTests
{
    private const ulong Page = 4096;

    private static MachineSpec WithSwitchUs(uint us)
    {
        var spec = TwoTier(caches: true);
        return spec with { Sockets = spec.Sockets.Select(s => s with { Cache = s.Cache with { TlbContextSwitchUs = us } }).ToList() };
    }

    private static uint FrameOf(SimMachine m, int pid, ulong addr) =>
        m.TryTranslate(pid, addr, out uint f) ? f : throw new InvalidOperationException("not mapped");

    /// <summary>A machine with the given switch slice and one thread that has written one mapped page after
    /// <paramref name="computeNs"/> of compute: the page's translation is in the TLB and its bit young.</summary>
    private static SimMachine Started(uint switchUs, ulong computeNs, out SimThread th, out int pid, out ulong a, out ulong t0)
    {
        var m = WithProcess(WithSwitchUs(switchUs), out pid, out int tid);
        th = m.Thread(tid);
        a = m.Mmap(pid, Page);
        t0 = th.ClockNs;
        m.RunBatch(th, [new MemAccess(a, true)], computeNs);
        return m;
    }

    [Fact]
    public void AfterASwitchAResidentTranslationIsGoneAndTheNextAccessSetsTheBitAgain()
    {
        // Slice 3 ms. The page is touched (walk, young), mkold'ed (no flush), touched again: still in
        // the TLB, so the bit stays clear. 2.9 ms of compute later no switch is due; at 3 ms one is,
        // and the next batch starts with a flush: the access walks and sets the bit.
        var m = Started(3000, 0, out var th, out int pid, out ulong a, out ulong t0);
        uint f = FrameOf(m, pid, a);
        m.DamonMkold(f);
        m.RunBatch(th, [new MemAccess(a, false)], 2_900_000 - (th.ClockNs - t0));
        Assert.False(m.IsYoung(f));
        m.RunBatch(th, [new MemAccess(a, false)], 0);
        Assert.Equal((0UL, false), (th.NrTlbSwitchFlushes, m.IsYoung(f)));

        m.RunBatch(th, [new MemAccess(a, false)], 3_000_000 - (th.ClockNs - t0));
        Assert.False(m.IsYoung(f));                       // this batch started before the switch
        m.RunBatch(th, [new MemAccess(a, false)], 0);
        Assert.Equal((1UL, true), (th.NrTlbSwitchFlushes, m.IsYoung(f)));
        Assert.Equal(2UL, th.NrTlbMisses);
    }

    [Fact]
    public void KSlicesInOneBatchCountKSwitchesAndOneFlush()
    {
        // 10 ms of compute in one batch: switches at 3, 6 and 9 ms are due at the next batch start,
        // counted as three; the TLB is flushed once, and the next is due at 12 ms.
        var m = Started(3000, 10_000_000, out var th, out int pid, out ulong a, out ulong t0);
        ulong ran = th.ClockNs - t0;
        Assert.InRange(ran, 10_000_000UL, 11_999_999UL);
        m.DamonMkold(FrameOf(m, pid, a));
        m.RunBatch(th, [new MemAccess(a, false)], 0);
        Assert.Equal((3UL, 2UL), (th.NrTlbSwitchFlushes, th.NrTlbMisses));
        Assert.True(m.IsYoung(FrameOf(m, pid, a)));
        m.RunBatch(th, [new MemAccess(a, false)], 12_000_000 - (th.ClockNs - t0));
        m.RunBatch(th, [new MemAccess(a, false)], 0);
        Assert.Equal((4UL, 3UL), (th.NrTlbSwitchFlushes, th.NrTlbMisses));
    }

    [Fact]
    public void ZeroTurnsTheSourceOffAndTheBitStaysClearForever()
    {
        var m = Started(0, 0, out var th, out int pid, out ulong a, out _);
        uint f = FrameOf(m, pid, a);
        m.DamonMkold(f);
        for (int i = 0; i < 100; i++)
            m.RunBatch(th, [new MemAccess(a, false)], 1_000_000_000);
        Assert.Equal((0UL, 1UL, false), (th.NrTlbSwitchFlushes, th.NrTlbMisses, m.IsYoung(f)));
    }

    [Fact]
    public void TheMachineFileSetsTheSliceAndDefaultsTo3Ms()
    {
        Assert.Equal(3000u, new CacheSpec().TlbContextSwitchUs);
        var spec = MachineFile.Parse("""
            { "nodes": [ { "capacity": "1GiB", "read_latency_ns": 90, "bandwidth_gbps": 50 } ],
              "sockets": [ { "node": 0, "cpus": 2, "tlb_context_switch_us": 0 } ] }
            """);
        Assert.Equal(0u, spec.Sockets[0].Cache.TlbContextSwitchUs);
    }
}
