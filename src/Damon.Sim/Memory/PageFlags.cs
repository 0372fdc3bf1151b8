namespace Damon.Sim.Memory;

/// <summary>
/// Per-frame state bits (two bytes per 4 KiB frame). For a THP folio, the <see cref="FolioBits"/>
/// live on the head frame only, like the PMD's accessed bit and the folio's flags.
/// </summary>
[Flags]
public enum PageFlags : ushort
{
    None = 0,
    /// <summary>In use (on an LRU list): PG_lru.</summary>
    Allocated = 1 << 0,
    /// <summary>Accessed since last cleared: the PTE/PMD young bit.</summary>
    Young = 1 << 1,
    Dirty = 1 << 2,
    /// <summary>Anonymous memory (PageAnon); otherwise page cache.</summary>
    Anon = 1 << 3,
    /// <summary>On the active LRU list (PG_active).</summary>
    Active = 1 << 4,
    /// <summary>Part of a 2 MiB THP folio; the head is the 512-aligned frame.</summary>
    Thp = 1 << 5,
    /// <summary>Mapped by a page table (folio_mapped); page cache left by munmap is not.</summary>
    Mapped = 1 << 6,
    /// <summary>
    /// PG_young: DAMON's mkold found the PTE young and cleared it, so it leaves this for reclaim's
    /// folio_referenced to count, as damon_ptep_mkold does.
    /// </summary>
    Referenced = 1 << 7,
    /// <summary>PG_idle: set by DAMON's mkold, cleared when reclaim finds the folio referenced.</summary>
    Idle = 1 << 8,
    /// <summary>
    /// PROT_NONE set by a NUMA-balancing style scanner (change_prot_numa): the next access takes a
    /// hint fault that <see cref="Machine.IHintFaultHandler"/> handles, and the bit is cleared.
    /// </summary>
    ProtNone = 1 << 9,
    /// <summary>
    /// Protection set by DAMON's page-fault primitive (the hack tree's MM_CP_DAMON): the next
    /// access faults, is reported to DAMON (<see cref="Reports.SimPageFaultPrimitive"/>) and the
    /// bit is cleared. Kept apart from <see cref="ProtNone"/>, so each side handles only its own
    /// faults; sharing one bit is how the two would interfere.
    /// </summary>
    DamonProt = 1 << 10,
    /// <summary>
    /// A THP subpage accessed since the folio was mapped (kept per frame, not on the head): the
    /// simulator's ground truth for internal fragmentation, which no page-table bit records (the
    /// PMD has one accessed bit for all 512). Set only on the THP access path, so base pages pay
    /// nothing; see <see cref="Machine.SimMachine.ThpBloatBytes"/>.
    /// </summary>
    Touched = 1 << 11,

    /// <summary>Bits kept per folio (on the head frame of a THP).</summary>
    FolioBits = Young | Dirty | Active | Referenced | Idle | ProtNone | DamonProt,
}
