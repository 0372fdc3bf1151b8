namespace Damon.Sim.Machine;

/// <summary>
/// A socket's last-level cache and each of its threads' TLBs (docs/simulator.md, "Caches and
/// TLBs"). Defaults are an AMD EPYC 9004 (Zen 4, "Genoa") core's view: the 32 MiB 16-way L3 of
/// its CCD at about 50 cycles (≈ 14 ns at 3.7 GHz), and the 3072-entry L2 DTLB, which holds 4 KiB
/// and 2 MiB translations (here each size gets the 3072 entries; a real mix shares them).
/// <see cref="PageWalkNs"/> is a walk whose upper levels hit the page-walk caches and whose PTE
/// comes from the cache hierarchy, not DRAM. Real L2 DTLBs are unified: Zen 1536 entries, Zen 2
/// 2048 (12-way, 4 KiB and 2 MiB), Zen 4 3072; Intel Skylake-SP's STLB 1536 shared entries; the
/// split here gives each size the whole reach, as a workload that maps mostly one size sees it.
/// <para>
/// <see cref="TlbContextSwitchUs"/> is how often, in the thread's own time, its CPU switches to
/// another address space and back, losing the thread's translations (a full flush): the eviction
/// source arch/x86/mm/pgtable.c's ptep_clear_flush_young counts on ("it will eventually be flushed
/// by a context switch or a VM operation anyway"), without which a TLB-resident hot set would
/// read idle to DAMON forever. Without PCID the CR3 write flushes outright; with PCID the other
/// task's working set displaces the entries (the model takes it as all of them). The default, 3 ms,
/// is the EEVDF request slice on a shared CPU (sysctl_sched_base_slice 0.75 ms × (1 + ilog2(8))
/// for 8 or more CPUs), i.e. one other runnable task on the CPU; 0 turns the source off.
/// </para>
/// </summary>
public sealed record CacheSpec(
    ulong LlcBytes = 32UL << 20,
    uint LlcWays = 16,
    uint LlcHitNs = 14,
    uint Tlb4kEntries = 3072,
    uint Tlb2mEntries = 3072,
    uint TlbWays = 12,
    uint PageWalkNs = 30,
    uint TlbContextSwitchUs = 3000)
{
    public const uint LineBytes = 64;

    /// <summary>Check the rules; <paramref name="field"/> prefixes the field names (sockets[i]).</summary>
    public void Validate(string field)
    {
        if (LlcWays is 0 or > 64)
            throw new MachineSpecException($"{field}.llc_ways", "must be in 1..64");
        // Tags are 32 bits: a physical line number (< 2^37 below 8 TiB) over the set count must fit.
        if (LlcBytes == 0 || LlcBytes % (LineBytes * LlcWays) != 0 || LlcBytes / LineBytes > int.MaxValue
            || !ulong.IsPow2(LlcBytes / LineBytes / LlcWays) || LlcBytes / LineBytes / LlcWays < 64)
            throw new MachineSpecException($"{field}.llc_bytes", $"must be {LineBytes} B x llc_ways x a power-of-two number of sets (at least 64), below 128 GiB");
        if (TlbWays is 0 or > 64)
            throw new MachineSpecException($"{field}.tlb_ways", "must be in 1..64");
        // A virtual page number (< 2^35) over the set count must fit a 32-bit tag.
        if (Tlb4kEntries == 0 || Tlb4kEntries % TlbWays != 0 || Tlb4kEntries > 1 << 20
            || !uint.IsPow2(Tlb4kEntries / TlbWays) || Tlb4kEntries / TlbWays < 16)
            throw new MachineSpecException($"{field}.tlb_4k_entries", "must be tlb_ways x a power-of-two number of sets (at least 16), at most 1048576");
        if (Tlb2mEntries == 0 || Tlb2mEntries % TlbWays != 0 || Tlb2mEntries > 1 << 20 || !uint.IsPow2(Tlb2mEntries / TlbWays))
            throw new MachineSpecException($"{field}.tlb_2m_entries", "must be tlb_ways x a power-of-two number of sets, at most 1048576");
    }
}
