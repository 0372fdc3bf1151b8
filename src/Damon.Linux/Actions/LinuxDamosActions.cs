using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Core.Util;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Actions;

/// <summary>
/// DAMOS actions on real processes, from user space, with the accounting of the kernel's vaddr
/// operations set (mm/damon/vaddr.c damon_va_apply_scheme):
/// <list type="bullet">
/// <item>willneed, cold, pageout, collapse: damos_madvise: process_madvise on
/// [PAGE_ALIGN(start), +PAGE_ALIGN(size)) as one iovec; applied = that length when the kernel
/// advised the whole range, 0 otherwise (a hole gives ENOMEM: 0, as do_madvise's error gives 0).
/// Ops filters are not evaluated, as in the kernel.</item>
/// <item>migrate_hot / migrate_cold: damos_va_migrate: present folios that pass the ops filters
/// go to target_nid (or the weighted migrate_dests); applied = pages move_pages moved × PAGE_SIZE.
/// A folio already on its destination is not applied (the kernel skips it for dests, and for
/// target_nid __damon_migrate_folio_list returns 0 for folios of the target node).
/// sz_ops_filter_passed stays 0: damos_va_migrate never writes it.</item>
/// <item>stat: damos_va_stat: with ops filters, the folio bytes that pass them, each folio once
/// (last_applied); without filters nothing is walked; applied is always 0.</item>
/// </list>
/// hugepage, nohugepage, lru_prio and lru_deprio are refused by <see cref="CheckScheme"/>:
/// process_madvise does not take MADV_(NO)HUGEPAGE for another process, and vaddr has no LRU
/// actions. paddr: nothing — user space has no call that acts on an arbitrary physical frame
/// (move_pages and process_madvise take virtual addresses of a process), so physical memory can
/// only be acted on by the kernel's own DAMON (kernel mode).
/// </summary>
public sealed class LinuxDamosActions : IDisposable
{
    public const ulong PageSize = PagemapReader.PageSize;

    public const string PaddrUnsupported =
        "paddr actions are not possible from user space: move_pages and process_madvise act on a process's virtual addresses, " +
        "and no call acts on an arbitrary page frame; run paddr schemes in kernel mode";

    private readonly Dictionary<int, PidFd> _pidfds = [];
    private readonly PfnTable? _kpageflags;
    private readonly PfnTable? _kpagecgroup;
    private readonly PageIdleBitmap? _pageIdle;
    private readonly VaddrFolioReader _folios;

    public LinuxDamosActions(LinuxCapabilities caps, MovePages? movePages = null, string procRoot = "/proc", string sysRoot = "/sys")
    {
        Caps = caps;
        ProcRoot = procRoot;
        MovePages = movePages ?? new MovePages();
        if (caps.Kpageflags.Available) _kpageflags = new PfnTable(Path.Combine(procRoot, "kpageflags"));
        if (caps.Kpagecgroup.Available) _kpagecgroup = new PfnTable(Path.Combine(procRoot, "kpagecgroup"));
        if (caps.PageIdle.Available && caps.PagemapPfns.Available) _pageIdle = new PageIdleBitmap(Path.Combine(sysRoot, "kernel/mm/page_idle/bitmap"));
        _folios = new VaddrFolioReader(procRoot, _kpageflags, _kpagecgroup);
    }

    public LinuxCapabilities Caps { get; }
    public string ProcRoot { get; }
    public MovePages MovePages { get; }

    /// <summary>The move_pages outcome of the last migrate action (pages), for reports and tests.</summary>
    public MovePagesResult? LastMigration { get; private set; }

    /// <summary>
    /// Whether this machine can run the scheme through these actions: null when it can, else one
    /// line saying what is missing (an action user space cannot do, or a filter it cannot see).
    /// </summary>
    public string? CheckScheme(Damos s, OperationsId ops)
    {
        if (ops == OperationsId.Paddr)
            return PaddrUnsupported;
        switch (s.Action)
        {
            case DamosAction.Hugepage or DamosAction.Nohugepage:
                return $"action {s.Action.SysfsName()}: process_madvise does not accept MADV_{(s.Action == DamosAction.Hugepage ? "" : "NO")}HUGEPAGE for another process";
            case DamosAction.LruPrio or DamosAction.LruDeprio:
                return $"action {s.Action.SysfsName()}: the vaddr operations set has no LRU actions (paddr only, kernel mode)";
            case DamosAction.Willneed or DamosAction.Cold or DamosAction.Pageout or DamosAction.Collapse:
                if (!Caps.ProcessMadvise.Available) return $"action {s.Action.SysfsName()}: {Caps.ProcessMadvise}";
                break;
            case DamosAction.MigrateHot or DamosAction.MigrateCold:
                if (!Caps.MovePages.Available) return $"action {s.Action.SysfsName()}: {Caps.MovePages}";
                break;
        }
        bool filtersUsed = s.Action is DamosAction.MigrateHot or DamosAction.MigrateCold or DamosAction.Stat;
        if (!filtersUsed) return null;
        foreach (var f in s.OpsFilters)
        {
            string? why = f.Type switch
            {
                DamosFilterType.Young when _pageIdle is null =>
                    $"the young filter needs page_idle: {Caps.PageIdle}",
                DamosFilterType.Active or DamosFilterType.HugepageSize when _kpageflags is null =>
                    $"the {f.Type.SysfsName()} filter needs kpageflags: {Caps.Kpageflags}",
                DamosFilterType.Memcg when _kpagecgroup is null =>
                    $"the memcg filter needs kpagecgroup: {Caps.Kpagecgroup}",
                _ => null,
            };
            if (why is not null) return why;
        }
        return null;
    }

    /// <summary>
    /// damon_va_apply_scheme for target <paramref name="t"/> (its pid). A target that exited throws
    /// <see cref="SyscallException"/> with <see cref="SyscallException.TargetGone"/>.
    /// </summary>
    public ulong ApplyScheme(Target t, Region r, Damos s, out ulong szOpsFilterPassed)
    {
        szOpsFilterPassed = 0;
        return s.Action switch
        {
            DamosAction.Willneed => Madvise(t.Pid, r, MadviseAdvice.Willneed),
            DamosAction.Cold => Madvise(t.Pid, r, MadviseAdvice.Cold),
            DamosAction.Pageout => Madvise(t.Pid, r, MadviseAdvice.Pageout),
            DamosAction.Collapse => Madvise(t.Pid, r, MadviseAdvice.Collapse),
            DamosAction.MigrateHot or DamosAction.MigrateCold => Migrate(t.Pid, r, s),
            DamosAction.Stat => Stat(t.Pid, r, s, out szOpsFilterPassed),
            // Not supported by vaddr: the kernel applies nothing.
            _ => 0,
        };
    }

    /// <summary>Forget a target's pidfd (after it exited, or when the target is removed).</summary>
    public void CleanupTarget(int pid)
    {
        if (_pidfds.Remove(pid, out var fd)) fd.Dispose();
    }

    private PidFd PidFdOf(int pid)
    {
        if (!_pidfds.TryGetValue(pid, out var fd))
            _pidfds[pid] = fd = PidFd.Open(pid);
        return fd;
    }

    /// <summary>damos_madvise: all of the page-aligned region or nothing.</summary>
    private ulong Madvise(int pid, Region r, MadviseAdvice advice)
    {
        ulong start = KernelMath.AlignUp(r.Start, PageSize);
        ulong len = KernelMath.AlignUp(r.Size, PageSize);
        try
        {
            var res = ProcessMadvise.Advise(PidFdOf(pid), [new AddrRange(start, start + len)], advice);
            return res.Failed.Count == 0 && res.BytesAdvised == len ? len : 0;
        }
        catch (SyscallException e) when (e.TargetGone)
        {
            CleanupTarget(pid);
            throw;
        }
    }

    private List<VaddrFolio> FoliosOf(int pid, Region r)
    {
        try
        {
            return _folios.Read(pid, r.Start, r.End);
        }
        catch (LinuxSourceException) when (!Directory.Exists(Path.Combine(ProcRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            CleanupTarget(pid);
            throw new SyscallException("pagemap", (int)LinuxErrno.ESRCH, $"pid {pid}");
        }
    }

    /// <summary>damos_va_migrate.</summary>
    private ulong Migrate(int pid, Region r, Damos s)
    {
        var dests = s.MigrateDests;
        bool useDests = dests.NrDests > 0;
        uint totalWeight = 0;
        foreach (uint w in dests.WeightArr) totalWeight += w;
        if (useDests ? totalWeight == 0 : s.TargetNid < 0)
            return 0;
        IReadOnlyList<Vma>? vmas = useDests ? ProcMaps.Read(ProcMaps.PathOf(pid, ProcRoot)) : null;
        // Folios go to a destination in groups of equal size, so one move_pages address stands for
        // a whole folio (the kernel moves the folio; its tail addresses would only report EBUSY).
        var groups = new Dictionary<(int Nid, uint NrPages), List<ulong>>();
        foreach (var f in FoliosOf(pid, r))
        {
            if (FilterOut(s, f)) continue;
            int nid = useDests ? WeightedDest(dests, totalWeight, f, vmas!) : s.TargetNid;
            if (!groups.TryGetValue((nid, f.NrPages), out var list)) groups[(nid, f.NrPages)] = list = [];
            list.Add(f.Addr);
        }
        var total = new MovePagesResult();
        ulong applied = 0;
        foreach (var ((nid, nrPages), addrs) in groups)
        {
            var res = MovePages.Move(pid, addrs.ToArray(), nid);
            applied += res.Moved * nrPages * PageSize;
            total.Moved += res.Moved * nrPages;
            total.AlreadyOnTarget += res.AlreadyOnTarget * nrPages;
            total.NotMigrated += res.NotMigrated * nrPages;
            foreach (var (errno, n) in res.FailedByErrno) total.Fail(errno, n * nrPages);
        }
        LastMigration = total;
        return applied;
    }

    /// <summary>damos_va_migrate_dests_add's weighted-interleave pick.</summary>
    private static int WeightedDest(DamosMigrateDests dests, uint totalWeight, VaddrFolio f, IReadOnlyList<Vma> vmas)
    {
        var vma = vmas.FirstOrDefault(v => v.Start <= f.Addr && f.Addr < v.End);
        int order = f.NrPages > 1 ? System.Numerics.BitOperations.Log2(f.NrPages) : 0;
        // vm_pgoff: the file offset in pages; for anonymous memory the kernel sets it to start >> PAGE_SHIFT.
        ulong pgoff = vma is null ? 0 : vma.IsAnon ? vma.Start >> PagemapReader.PageShift : vma.Offset >> PagemapReader.PageShift;
        ulong vmStart = vma?.Start ?? 0;
        ulong ilx = (pgoff >> order) + ((f.Addr - vmStart) >> (PagemapReader.PageShift + order));
        uint target = (uint)(ilx % totalWeight);
        int i = 0;
        for (; i < dests.NrDests; i++)
        {
            if (target < dests.WeightArr[i]) break;
            target -= dests.WeightArr[i];
        }
        return dests.NodeIdArr[Math.Min(i, dests.NrDests - 1)];
    }

    /// <summary>damos_va_stat.</summary>
    private ulong Stat(int pid, Region r, Damos s, out ulong passed)
    {
        passed = 0;
        if (s.OpsFilters.Count == 0)
            return 0;
        foreach (var f in FoliosOf(pid, r))
        {
            var key = new LinuxFolioRef(pid, f.Key);
            if (Equals(s.LastApplied, key)) continue;
            if (!FilterOut(s, f)) passed += f.Bytes;
            s.LastApplied = key;
        }
        return 0;
    }

    private bool FilterOut(Damos s, VaddrFolio f) => DamosCore.OpsFilterOut(s, f, Matches);

    /// <summary>damos_folio_filter_match as far as user space can see the folio.</summary>
    private bool Matches(DamosFilter filter, VaddrFolio f)
    {
        switch (filter.Type)
        {
            case DamosFilterType.Anon:
                return f.FlagsKnown ? (f.Flags & KpageFlags.Anon) != 0 : f.Entry.Anon;
            case DamosFilterType.Active:
                return (f.Flags & KpageFlags.Active) != 0;
            case DamosFilterType.Memcg:
                return f.MemcgIno != 0 && f.MemcgIno == filter.MemcgId;
            case DamosFilterType.HugepageSize:
                return filter.SzRange.Min <= f.Bytes && f.Bytes <= filter.SzRange.Max;
            case DamosFilterType.Unmapped:
                // Found through the page table: mapped.
                return false;
            case DamosFilterType.Young:
                // page_idle: a page not idle was accessed; the test consumes it (marks it idle), as
                // damos_va_filter_young_match makes the pte old.
                if (_pageIdle is null || f.Entry.Pfn == 0) return false;
                bool young = !_pageIdle.IsIdle(f.Entry.Pfn);
                if (young) _pageIdle.MarkIdle(f.Entry.Pfn);
                return young;
            default:
                return false;
        }
    }

    public void Dispose()
    {
        foreach (var fd in _pidfds.Values) fd.Dispose();
        _pidfds.Clear();
        _kpageflags?.Dispose();
        _kpagecgroup?.Dispose();
        _pageIdle?.Dispose();
    }
}

/// <summary>s->last_applied for real folios: the process and the folio's PFN (or address when PFNs are hidden).</summary>
internal readonly record struct LinuxFolioRef(int Pid, ulong Key);
