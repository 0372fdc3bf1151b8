using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Damon.Sim.Memory;

/// <summary>
/// A process's virtual page → frame map as a three-level sparse array (2^11 × 2^12 × 2^12 pages,
/// covering 47-bit user addresses), leaves of 4096 entries (16 MiB of address space) made on first
/// touch. An entry is 0 (never touched), frame + 1, or <see cref="SwapBit"/> | swap slot.
/// </summary>
public sealed class PageTable
{
    public const uint SwapBit = 0x8000_0000;
    public const int LeafShift = 12;
    public const int LeafSize = 1 << LeafShift;
    private const int MidShift = 12;
    private const int TopSize = 1 << 11;

    private readonly uint[]?[]?[] _top = new uint[]?[]?[TopSize];

    public long NrLeaves { get; private set; }

    /// <summary>The leaf holding virtual pages [key·4096, key·4096 + 4096), or null if none was made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint[]? Leaf(ulong leafKey)
    {
        ulong t = leafKey >> MidShift;
        if (t >= TopSize) return null;
        return _top[t]?[leafKey & ((1 << MidShift) - 1)];
    }

    public uint[] LeafOrCreate(ulong leafKey)
    {
        ulong t = leafKey >> MidShift;
        if (t >= TopSize)
            throw new ArgumentOutOfRangeException(nameof(leafKey), "address beyond the 47-bit user address space");
        var mid = _top[t] ??= new uint[]?[1 << MidShift];
        ref var leaf = ref mid[leafKey & ((1 << MidShift) - 1)];
        if (leaf is null)
        {
            leaf = new uint[LeafSize];
            NrLeaves++;
        }
        return leaf;
    }

    /// <summary>The entry of <paramref name="vpage"/>; 0 if it has no leaf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Get(ulong vpage) =>
        Leaf(vpage >> LeafShift) is { } leaf ? EntryRef(leaf, vpage) : 0;

    /// <summary>
    /// Every leaf holds <see cref="LeafSize"/> entries, so the index needs no bounds check, which
    /// would read the leaf's header: a second cache line per lookup at large footprints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref uint EntryRef(uint[] leaf, ulong vpage) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(leaf), (nint)(vpage & (LeafSize - 1)));

    /// <summary>
    /// Bumped by every PTE write, so a reader that saw the table at one generation knows its
    /// entries are unchanged while the generation is: DAMON's check can then reuse what its
    /// prepare read instead of walking again, with the same result as the walk.
    /// </summary>
    public ulong Generation { get; private set; }

    /// <summary>Start fetching the cache line of <paramref name="vpage"/>'s entry (a hint; nothing if it has no leaf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchEntry(ulong vpage)
    {
        if (Leaf(vpage >> LeafShift) is { } leaf)
            CacheLine.Prefetch(ref EntryRef(leaf, vpage));
    }

    /// <summary>A PTE write that bypasses <see cref="Set"/> (a swap entry cleared at unmap): counts as a change.</summary>
    internal void NoteWrite() => Generation++;

    /// <summary>
    /// Write a PTE. Replacing a present one flushes it from every TLB of the process, as
    /// ptep_clear_flush (migration's try_to_migrate_one, reclaim's try_to_unmap_one) and zap_pte_range's
    /// mmu_gather do; a PTE that was not present is in no TLB (x86 does not cache non-present entries).
    /// </summary>
    public void Set(ulong vpage, uint entry)
    {
        ref uint e = ref LeafOrCreate(vpage >> LeafShift)[vpage & (LeafSize - 1)];
        if (e - 1 < SwapBit - 1)
            FlushTlbs(vpage);
        e = entry;
        Generation++;
    }

    private Tlb[] _tlbs = [];

    /// <summary>The TLBs of the process's threads, which PTE changes flush.</summary>
    internal void AddTlb(Tlb tlb) => _tlbs = [.. _tlbs, tlb];

    /// <summary>flush_tlb_page on every CPU running the mm (a shootdown): drop the translation of <paramref name="vpage"/>.</summary>
    public void FlushTlbs(ulong vpage)
    {
        foreach (var t in _tlbs)
            t.FlushPage(vpage);
    }

    public long StateBytes => NrLeaves * LeafSize * sizeof(uint) + (TreeBits is null ? 0 : PageTableTreeBits.StateBytes);

    /// <summary>PMD/PUD accessed bits, set on page walks; null (the default) until a page-table-tree monitor asks for them.</summary>
    public PageTableTreeBits? TreeBits { get; private set; }

    /// <summary>Start keeping upper-level accessed bits (idempotent); they start clear.</summary>
    public PageTableTreeBits EnableTreeBits() => TreeBits ??= new PageTableTreeBits();
}
