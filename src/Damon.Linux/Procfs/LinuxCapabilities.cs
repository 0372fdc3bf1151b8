using Damon.Linux.Syscalls;

namespace Damon.Linux.Procfs;

/// <summary>One thing the machine may offer; <see cref="Detail"/> says why not when absent.</summary>
public sealed record LinuxCapability(string Name, bool Available, string Detail)
{
    public override string ToString() => Available ? $"{Name}: available{(Detail.Length > 0 ? " (" + Detail + ")" : "")}" : $"{Name}: absent, because {Detail}";
}

/// <summary>
/// What this machine offers the Linux backend, probed on this process only: PFNs in pagemap,
/// kpageflags and kpagecgroup, page_idle, soft-dirty, move_pages, process_madvise, NUMA nodes.
/// The soft-dirty probe writes "4" to our own clear_refs (it clears only our soft-dirty bits).
/// </summary>
public sealed class LinuxCapabilities
{
    public LinuxCapability PagemapPfns { get; private init; } = null!;
    public LinuxCapability Kpageflags { get; private init; } = null!;
    public LinuxCapability Kpagecgroup { get; private init; } = null!;
    public LinuxCapability PageIdle { get; private init; } = null!;
    public LinuxCapability SoftDirty { get; private init; } = null!;
    public LinuxCapability MovePages { get; private init; } = null!;
    public LinuxCapability ProcessMadvise { get; private init; } = null!;

    /// <summary>Nodes with memory (N_MEMORY), from node/has_memory.</summary>
    public IReadOnlyList<int> MemoryNodes { get; private init; } = [];

    public IEnumerable<LinuxCapability> All => [PagemapPfns, Kpageflags, Kpagecgroup, PageIdle, SoftDirty, MovePages, ProcessMadvise];

    public static LinuxCapabilities Probe(string procRoot = "/proc", string sysRoot = "/sys")
    {
        using var page = new AnonymousMapping(4096);
        page.Touch();
        int pid = Environment.ProcessId;
        string pagemapPath = PagemapReader.PathOf(pid, procRoot);
        PagemapEntry entry = default;
        LinuxCapability pfns;
        try
        {
            using var pm = new PagemapReader(pagemapPath);
            Span<PagemapEntry> one = stackalloc PagemapEntry[1];
            pm.Read(page.Address, one);
            entry = one[0];
            pfns = !entry.Present ? new("pagemap_pfns", false, $"{pagemapPath} shows a page we just wrote as not present")
                : entry.Pfn == 0 ? new("pagemap_pfns", false, $"{pagemapPath} reads PFNs as 0: they need CAP_SYS_ADMIN")
                : new("pagemap_pfns", true, "");
        }
        catch (LinuxSourceException e) { pfns = new("pagemap_pfns", false, e.Message); }

        var nodesPath = Path.Combine(sysRoot, "devices/system/node/has_memory");
        IReadOnlyList<int> nodes;
        try { nodes = KernelList.Read(nodesPath); }
        catch (LinuxSourceException) { nodes = [0]; }

        return new LinuxCapabilities
        {
            PagemapPfns = pfns,
            Kpageflags = ProbePfnTable("kpageflags", Path.Combine(procRoot, "kpageflags"), pfns, entry.Pfn),
            Kpagecgroup = ProbePfnTable("kpagecgroup", Path.Combine(procRoot, "kpagecgroup"), pfns, entry.Pfn),
            PageIdle = File.Exists(Path.Combine(sysRoot, "kernel/mm/page_idle/bitmap"))
                ? new("page_idle", true, "") : new("page_idle", false, Path.Combine(sysRoot, "kernel/mm/page_idle/bitmap") + " is " + PageIdleBitmap.AbsentReason),
            SoftDirty = ProbeSoftDirty(procRoot, pid, page),
            MovePages = ProbeMovePages(pid, page),
            ProcessMadvise = ProbeProcessMadvise(pid, page),
            MemoryNodes = nodes,
        };
    }

    private static LinuxCapability ProbePfnTable(string name, string path, LinuxCapability pfns, ulong pfn)
    {
        if (!File.Exists(path)) return new(name, false, $"{path} does not exist (kernel built without CONFIG_PROC_PAGE_MONITOR{(name == "kpagecgroup" ? " or CONFIG_MEMCG" : "")})");
        if (!pfns.Available) return new(name, false, $"it is indexed by PFN and {pfns.Detail}");
        try
        {
            using var t = new PfnTable(path);
            t.Read(pfn);
            return new(name, true, "");
        }
        catch (LinuxSourceException e) { return new(name, false, e.Message); }
    }

    private static LinuxCapability ProbeSoftDirty(string procRoot, int pid, AnonymousMapping page)
    {
        string dir = Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllText(Path.Combine(dir, "clear_refs"), "4");
            page.Touch();
            using var pm = new PagemapReader(Path.Combine(dir, "pagemap"));
            Span<PagemapEntry> one = stackalloc PagemapEntry[1];
            pm.Read(page.Address, one);
            return one[0].SoftDirty ? new("soft_dirty", true, "")
                : new("soft_dirty", false, "pagemap bit 55 stays 0 after clear_refs 4 and a write: the kernel is built without CONFIG_MEM_SOFT_DIRTY");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LinuxSourceException)
        {
            return new("soft_dirty", false, $"{dir}/clear_refs cannot be written: {e.Message}");
        }
    }

    private static LinuxCapability ProbeMovePages(int pid, AnonymousMapping page)
    {
        Span<int> status = stackalloc int[1];
        try
        {
            new Syscalls.MovePages().Query(pid, [page.Address], status);
            return status[0] >= 0 ? new("move_pages", true, $"our page is on node {status[0]}")
                : new("move_pages", false, $"a query of our own page answered {LinuxErrnos.Describe(-status[0])}");
        }
        catch (SyscallException e) { return new("move_pages", false, e.Message); }
    }

    private static LinuxCapability ProbeProcessMadvise(int pid, AnonymousMapping page)
    {
        try
        {
            using var fd = PidFd.Open(pid);
            var r = Syscalls.ProcessMadvise.Advise(fd, [new Damon.Core.Monitoring.AddrRange(page.Address, page.End)], MadviseAdvice.Cold);
            return r.Failed.Count == 0 ? new("process_madvise", true, "")
                : new("process_madvise", false, $"MADV_COLD on our own page: {LinuxErrnos.Describe(r.Failed[0].Errno)}");
        }
        catch (SyscallException e) { return new("process_madvise", false, e.Message); }
    }
}
