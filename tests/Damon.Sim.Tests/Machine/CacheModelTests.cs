using Xunit;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Workloads;
using static Damon.Sim.Tests.TestMachines;

namespace Damon.Sim.Tests;

/// <summary>The LLC and TLB model (docs/simulator.md, "Caches and TLBs"), with hand-computed expectations.</summary>
public class CacheModelTests
{
    private const ulong Page = 4096;
    private static readonly CacheSpec C = new();

    private static uint FrameOf(SimMachine m, int pid, ulong addr) =>
        m.TryTranslate(pid, addr, out uint f) ? f : throw new InvalidOperationException("not mapped");

    [Fact]
    public void ATranslationInTheTlbDoesNotSetTheAccessedBitAgainUntilAFlush()
    {
        var m = WithProcess(TwoTier(caches: true), out int pid, out int tid);
        var th = m.Thread(tid);
        ulong a = m.Mmap(pid, 16 * Page);
        Touch(m, tid, a, 16 * Page);
        Assert.Equal(16UL, th.NrTlbMisses);
        for (ulong i = 0; i < 16; i++)
        {
            Assert.True(m.IsYoung(FrameOf(m, pid, a + i * Page)));
            m.DamonMkold(FrameOf(m, pid, a + i * Page)); // no flush, as on x86
        }
        for (int pass = 0; pass < 3; pass++)
            Touch(m, tid, a, 16 * Page);
        Assert.Equal(16UL, th.NrTlbMisses);
        for (ulong i = 0; i < 16; i++)
            Assert.False(m.IsYoung(FrameOf(m, pid, a + i * Page)));

        // Migration repoints the PTE and flushes it: the next access walks and sets the bit.
        Assert.Equal(1u, m.MigrateFolio(FrameOf(m, pid, a), 1, out _));
        // change_prot_numa flushes too; the access takes the hint fault, then walks.
        Assert.True(m.SetProtNone(FrameOf(m, pid, a + Page)));
        Touch(m, tid, a, 16 * Page);
        Assert.Equal(18UL, th.NrTlbMisses);
        Assert.Equal(1UL, m.NrHintFaults);
        for (ulong i = 0; i < 16; i++)
            Assert.Equal(i < 2, m.IsYoung(FrameOf(m, pid, a + i * Page)));
    }

    [Fact]
    public void WithCachesOffEveryAccessSetsTheAccessedBit()
    {
        var m = WithProcess(TwoTier(caches: false), out int pid, out int tid);
        ulong a = m.Mmap(pid, 4 * Page);
        Touch(m, tid, a, 4 * Page);
        m.DamonMkold(FrameOf(m, pid, a));
        Touch(m, tid, a, 4 * Page);
        Assert.Null(m.Thread(tid).Tlb);
        Assert.True(m.IsYoung(FrameOf(m, pid, a)));
        Assert.Equal(0UL, m.Thread(tid).NrTlbMisses);
    }

    [Fact]
    public void AnLlcResidentSetCostsTheHitLatencyWhicheverNodeHoldsIt()
    {
        foreach (bool caches in new[] { true, false })
        {
            var m = WithProcess(TwoTier(caches: caches), out int pid, out int tid);
            var th = m.Thread(tid);
            ulong dram = m.Mmap(pid, 4 * Page);
            ulong cxl = m.Mmap(pid, 4 * Page, MapFlags.Anon, new MemPolicy(MemPolicyMode.Bind, [1]));
            var batch = new List<MemAccess>();
            for (ulong i = 0; i < 4; i++)
            {
                batch.Add(new MemAccess(dram + i * Page, false));
                batch.Add(new MemAccess(cxl + i * Page, false));
            }
            ulong before = th.MemoryNs;
            m.RunBatch(th, batch.ToArray(), 0);
            // First pass: a walk per page (caches on), then the line comes from its node.
            Assert.Equal(caches ? 8 * 30 + 4 * 90 + 4 * 220UL : 4 * 90 + 4 * 220UL, th.MemoryNs - before);
            before = th.MemoryNs;
            m.RunBatch(th, batch.ToArray(), 0);
            // Second pass: TLB and LLC hits, 14 ns each on either node; the flat model pays the nodes again.
            Assert.Equal(caches ? 8 * 14UL : 4 * 90 + 4 * 220UL, th.MemoryNs - before);
            Assert.Equal(caches ? 8UL : 0UL, th.NrLlcHits);
            Assert.Equal(8UL, th.NodeAccesses[1]);
        }
    }

    [Fact]
    public void RandomAccessesOverALargeRegionCostMoreThanOverASmallOne()
    {
        double MeanNs(ulong regionBytes)
        {
            var m = WithProcess(TwoTier(512, 256, caches: true), out int pid, out int tid);
            var th = m.Thread(tid);
            ulong a = m.Mmap(pid, regionBytes);
            var warm = new List<MemAccess>();
            for (ulong off = 0; off < regionBytes; off += 64)
                warm.Add(new MemAccess(a + off, false));
            m.RunBatch(th, warm.ToArray(), 0);
            var batch = new MemAccess[10_000];
            ulong rng = 88172645463325252UL;
            for (int i = 0; i < batch.Length; i++)
            {
                rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
                batch[i] = new MemAccess(a + (rng % regionBytes & ~63UL), false);
            }
            ulong before = th.MemoryNs;
            m.RunBatch(th, batch, 0);
            return (double)(th.MemoryNs - before) / batch.Length;
        }
        // 1 MiB: 256 pages and 16 Ki lines fit the TLB (3072) and the LLC (512 Ki lines): hits only.
        Assert.Equal(14.0, MeanNs(1UL << 20));
        // 256 MiB: the LLC holds at most 1/8 of the lines and the TLB 12 MiB of the pages, so at
        // least 7/8 · 90 ns from DRAM plus a walk on ≥ 95 % of accesses, ≥ 107 ns.
        Assert.True(MeanNs(256UL << 20) >= 107, "a region 8x the LLC must cost DRAM latency plus walks");
    }

    [Fact]
    public void TagsReplaceThePseudoLeastRecentlyUsedWay()
    {
        // One set of 4 ways: A B C D fill it (the 4th use clears the others' bits), A is used
        // again, so E evicts B, the lowest way whose bit is clear.
        var t = new SetAssocTags(4, 4);
        foreach (ulong k in new ulong[] { 10, 11, 12, 13 })
            Assert.False(t.Access(k));
        Assert.True(t.Access(10));
        Assert.False(t.Access(14));
        Assert.Equal([true, false, true, true, true], new ulong[] { 10, 11, 12, 13, 14 }.Select(t.Contains));
        t.Invalidate(12);
        Assert.False(t.Contains(12));
        Assert.False(t.Access(15)); // fills the invalidated way, so nothing else goes
        Assert.Equal([true, false, false, true, true, true], new ulong[] { 10, 11, 12, 13, 14, 15 }.Select(t.Contains));
    }

    [Fact]
    public void MachineFileReadsTheCacheKeysAndTheSwitch()
    {
        const string json = """
            { "nodes": [ { "capacity": "1GiB", "read_latency_ns": 90, "bandwidth_gbps": 50 } ],
              "sockets": [ { "node": 0, "cpus": 2, "llc_bytes": "8MiB", "llc_ways": 8, "llc_hit_ns": 20,
                             "tlb_4k_entries": 1024, "tlb_2m_entries": 512, "tlb_ways": 8, "page_walk_ns": 40 } ] }
            """;
        var spec = MachineFile.Parse(json);
        Assert.True(spec.Caches);
        Assert.Equal(new CacheSpec(8UL << 20, 8, 20, 1024, 512, 8, 40), spec.Sockets[0].Cache);
        Assert.False(MachineFile.Parse(json.Replace("\"nodes\"", "\"caches\": \"off\", \"nodes\"")).Caches);
        Assert.False(MachineFile.Parse(json.Replace("\"nodes\"", "\"caches\": false, \"nodes\"")).Caches);
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(json.Replace("\"8MiB\"", "1000"), "m.json"));
        Assert.Equal("sockets[0].llc_bytes", e.Field);
        e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(json.Replace("\"nodes\"", "\"caches\": \"maybe\", \"nodes\""), "m.json"));
        Assert.Equal("caches", e.Field);
        // Off, the cache keys are not checked (they are unused).
        Assert.False(MachineFile.Parse(json.Replace("\"8MiB\"", "1000").Replace("\"nodes\"", "\"caches\": \"off\", \"nodes\"")).Caches);
    }
}
