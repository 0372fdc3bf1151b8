using Damon.Core.Schemes;
using Damon.Linux.Procfs;

namespace Damon.Linux.Metrics;

/// <summary>
/// <see cref="IDamonMetrics"/> on a real machine, read fresh on every call (quota goals and
/// watermarks are checked once per interval, so the reads are rare): node memory from
/// /sys/devices/system/node/node*/meminfo, system memory from /proc/meminfo, PSI from
/// /proc/pressure/memory, memcg node usage from the cgroup hierarchy's memory.numa_stat.
/// Every root is a parameter so tests run on fixture trees.
/// </summary>
public sealed class LinuxMetrics(string procRoot = "/proc", string sysRoot = "/sys", string cgroupRoot = CgroupMemoryHierarchy.DefaultCgroupRoot)
    : IDamonMetrics
{
    private CgroupMemoryHierarchy? _hierarchy;
    private CgroupMemcgResolver? _memcgs;

    public string ProcRoot { get; } = procRoot;
    public string SysRoot { get; } = sysRoot;
    public string CgroupRoot { get; } = cgroupRoot;

    public CgroupMemoryHierarchy MemoryHierarchy => _hierarchy ??= CgroupMemoryHierarchy.Detect(CgroupRoot);
    public CgroupMemcgResolver Memcgs => _memcgs ??= new CgroupMemcgResolver(MemoryHierarchy);

    public Meminfo SystemMeminfo() => Meminfo.Read(Path.Combine(ProcRoot, "meminfo"));

    /// <summary>
    /// damos_wmark_metric_value(DAMOS_WMARK_FREE_MEM_RATE):
    /// global_zone_page_state(NR_FREE_PAGES) * 1000 / totalram_pages(), i.e. MemFree × 1000 /
    /// MemTotal of /proc/meminfo, in integer arithmetic.
    /// </summary>
    public ulong FreeMemRatePermil()
    {
        var m = SystemMeminfo();
        ulong total = m.MemTotalBytes;
        return total == 0 ? 0 : m.MemFreeBytes * 1000 / total;
    }

    /// <summary>si_meminfo_node: the node's MemTotal (managed pages) and MemFree; false for a missing or memoryless node.</summary>
    public bool TryGetNodeMem(int nid, out ulong totalBytes, out ulong freeBytes)
    {
        totalBytes = freeBytes = 0;
        if (nid < 0) return false;
        string path = Path.Combine(NodeTopology.NodeDir(SysRoot, nid), "meminfo");
        if (!File.Exists(path)) return false;
        var m = Meminfo.Read(path);
        totalBytes = m.MemTotalBytes;
        freeBytes = m.MemFreeBytes;
        return totalBytes != 0;
    }

    /// <summary>The memcg's active+inactive anon+file bytes on the node; false if the memcg (inode id) is not found.</summary>
    public bool TryGetMemcgNodeUsage(ulong memcgId, int nid, out ulong bytes)
    {
        bytes = 0;
        var path = Memcgs.PathOf(memcgId);
        if (path is null) return false;
        string stat = Path.Combine(MemoryHierarchy.DirOf(path), "memory.numa_stat");
        if (!File.Exists(stat)) return false;
        bytes = CgroupNumaStat.Read(stat).LruBytesOn(nid);
        return true;
    }

    /// <summary>Active and Inactive of /proc/meminfo (NR_ACTIVE_ANON + NR_ACTIVE_FILE, and the inactive pair).</summary>
    public void GetLruSizes(out ulong activeBytes, out ulong inactiveBytes)
    {
        var m = SystemMeminfo();
        activeBytes = m.ActiveBytes;
        inactiveBytes = m.InactiveBytes;
    }

    public ulong SomeMemPsiTotalUs() => PressureStall.Read(Path.Combine(ProcRoot, "pressure/memory")).Some.TotalUs;

    /// <summary>hugepage_mem_bp's inputs: AnonHugePages, MemTotal and MemFree of /proc/meminfo; false if AnonHugePages is absent (no THP support).</summary>
    public bool TryGetHugepageMem(out ulong thpBytes, out ulong totalBytes, out ulong freeBytes)
    {
        var m = SystemMeminfo();
        bool has = m.Fields.TryGetValue("AnonHugePages", out thpBytes);
        totalBytes = m.MemTotalBytes;
        freeBytes = m.MemFreeBytes;
        return has;
    }

    public VmstatSnapshot Vmstat() => VmstatSnapshot.Read(Path.Combine(ProcRoot, "vmstat"));

    public IReadOnlyList<LinuxNode> Nodes() => NodeTopology.Read(SysRoot);
}
