namespace Damon.Sim.Memory;

/// <summary>
/// A thread's data TLB (the second-level one, whose misses start a page walk): one tag store for
/// 4 KiB translations keyed by virtual page, one for 2 MiB (PMD) translations keyed by virtual
/// 2 MiB block. Only present PTEs are cached, as on x86, so mapping a page that was not present
/// needs no flush.
/// </summary>
public sealed class Tlb(int nr4kEntries, int nr2mEntries, int ways)
{
    private readonly SetAssocTags _4k = new(nr4kEntries, ways);
    private readonly SetAssocTags _2m = new(nr2mEntries, ways);

    /// <summary>Translate virtual page <paramref name="vpage"/> mapped by a PTE or, if <paramref name="pmd"/>, a PMD; false on a miss (a page walk, which fills the entry).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Access(ulong vpage, bool pmd) =>
        pmd ? _2m.Access(vpage >> PageSizes.ThpOrder) : _4k.Access(vpage);

    /// <summary>Whether a translation of <paramref name="vpage"/> is cached (either size).</summary>
    public bool Holds(ulong vpage) => _4k.Contains(vpage) || _2m.Contains(vpage >> PageSizes.ThpOrder);

    /// <summary>flush_tlb_page: drop any translation of <paramref name="vpage"/>, of either size.</summary>
    public void FlushPage(ulong vpage)
    {
        _4k.Invalidate(vpage);
        _2m.Invalidate(vpage >> PageSizes.ThpOrder);
    }

    /// <summary>A full flush (CR3 reload without PCID).</summary>
    public void FlushAll()
    {
        _4k.Clear();
        _2m.Clear();
    }
}
