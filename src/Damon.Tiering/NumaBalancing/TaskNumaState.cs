namespace Damon.Tiering.NumaBalancing;

/// <summary>
/// One process's NUMA-balancing scan state: mm->numa_next_scan / numa_scan_offset / numa_scan_seq
/// and the task's numa_scan_period, numa_scan_seq, numa_migrate_retry (one task per process here).
/// </summary>
internal sealed class TaskNumaState
{
    /// <summary>mm->numa_next_scan (ms); init_numa_balancing sets it scan_delay after the fork.</summary>
    public ulong NextScanMs;
    /// <summary>mm->numa_scan_offset: where the next scan starts.</summary>
    public ulong ScanOffset;
    /// <summary>mm->numa_scan_seq: completed passes over the address space.</summary>
    public uint MmScanSeq;
    /// <summary>p->numa_scan_seq: the pass task_numa_placement last looked at.</summary>
    public uint TaskScanSeq;
    /// <summary>p->numa_scan_period (ms); 0 until the first scan sets task_scan_start.</summary>
    public ulong ScanPeriodMs;
    /// <summary>p->numa_migrate_retry (ms).</summary>
    public ulong MigrateRetryMs;
    /// <summary>p->numa_preferred_nid is set: placement has seen recorded faults.</summary>
    public bool HasPreferredNid;
    /// <summary>Recorded faults since the last placement (p->numa_faults membuf non-zero).</summary>
    public bool HasBufferedFaults;
    /// <summary>get_mm_rss at the last scan, in pages.</summary>
    public ulong RssPages;
}
