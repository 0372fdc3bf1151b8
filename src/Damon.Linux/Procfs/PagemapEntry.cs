namespace Damon.Linux.Procfs;

/// <summary>
/// One 64-bit /proc/PID/pagemap entry (Documentation/admin-guide/mm/pagemap.rst). Bits 0-54 are the
/// PFN when present (the swap type/offset when swapped); the kernel reports them as 0 to readers
/// without CAP_SYS_ADMIN.
/// </summary>
public readonly record struct PagemapEntry(ulong Raw)
{
    public const int PresentBit = 63;
    public const int SwappedBit = 62;
    /// <summary>PM_FILE: a file page or shared anonymous memory (not folio_test_anon).</summary>
    public const int FileSharedBit = 61;
    /// <summary>PM_MMAP_EXCLUSIVE: the page is mapped only by this process.</summary>
    public const int ExclusiveBit = 56;
    public const int SoftDirtyBit = 55;
    public const ulong PfnMask = (1UL << 55) - 1;

    public bool Present => (Raw >> PresentBit & 1) != 0;
    public bool Swapped => (Raw >> SwappedBit & 1) != 0;
    public bool FileOrSharedAnon => (Raw >> FileSharedBit & 1) != 0;
    public bool Exclusive => (Raw >> ExclusiveBit & 1) != 0;
    public bool SoftDirty => (Raw >> SoftDirtyBit & 1) != 0;

    /// <summary>The page frame number; 0 when not present or hidden from this reader.</summary>
    public ulong Pfn => Present ? Raw & PfnMask : 0;

    /// <summary>Present private anonymous memory (what DAMOS's anon filter matches).</summary>
    public bool Anon => Present && !FileOrSharedAnon;
}
