namespace Damon.Core.Schemes;

/// <summary>
/// System readings for quota goals (§3.6) and watermarks (§3.7), supplied by a backend: the
/// simulated machine or real Linux. Node sizes are in bytes.
/// </summary>
public interface IDamonMetrics
{
    /// <summary>Free memory per mille of total memory (the free_mem_rate watermark metric).</summary>
    ulong FreeMemRatePermil();

    /// <summary>Total and free bytes of a node; false for an invalid or memoryless node.</summary>
    bool TryGetNodeMem(int nid, out ulong totalBytes, out ulong freeBytes);

    /// <summary>Bytes of a memcg's LRU pages on a node; false if the memcg does not exist.</summary>
    bool TryGetMemcgNodeUsage(ulong memcgId, int nid, out ulong bytes);

    /// <summary>System-wide active and inactive LRU bytes (anon + file).</summary>
    void GetLruSizes(out ulong activeBytes, out ulong inactiveBytes);

    /// <summary>Cumulative "some" memory stall time in microseconds.</summary>
    ulong SomeMemPsiTotalUs();

    /// <summary>
    /// For hugepage_mem_bp: bytes mapped by anonymous THPs (NR_ANON_THPS, /proc/meminfo's
    /// AnonHugePages) and the system's total and free bytes; false where the reading is not
    /// available, and the goal's current value is then 0.
    /// </summary>
    bool TryGetHugepageMem(out ulong thpBytes, out ulong totalBytes, out ulong freeBytes)
    {
        thpBytes = totalBytes = freeBytes = 0;
        return false;
    }
}
