using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Linux.Backend.Profile;

namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// DAMOS on physical regions from user space: a region's frames are looked up in the
/// <see cref="PhysPageIndex"/> (rebuilt at each apply round) and acted on through the processes
/// mapping them — move_pages for migrate_hot/migrate_cold, process_madvise(MADV_PAGEOUT) for
/// pageout. Accounting follows damon_pa_migrate/damon_pa_pageout: sz_applied counts the bytes
/// that moved (already on the node: not applied) or left memory (an anonymous page without swap
/// stays: not applied), sz_ops_filter_passed the bytes the ops filters
/// let through. Frames no actable process maps (free, page cache without mappers, kernel) cannot
/// be reached from user space and are neither passed nor applied. Only the anon filter is
/// evaluated (from pagemap); the others are refused before the run starts.
/// </summary>
public sealed class PaddrUserActions(IProcessPageSource source, IPageSyscalls syscalls, UserModeProblems problems)
{
    private const ulong PageSize = 1UL << PhysPageIndex.PageShift;
    private readonly PhysPageIndex _index = new();
    private bool _stale = true;

    public PhysPageIndex Index => _index;

    /// <summary>Where the index rebuilds' time is summed, if anywhere.</summary>
    public RoundTimes? Times { get; init; }

    /// <summary>The next action rebuilds the index: mappings change between apply rounds.</summary>
    public void NewApplyRound() => _stale = true;

    /// <summary>Null when every ops filter of <paramref name="s"/> is one this layer evaluates (anon only).</summary>
    public static string? CheckFilters(Damos s)
    {
        foreach (var f in s.OpsFilters)
        {
            string? why = f.Type switch
            {
                DamosFilterType.Anon => null,
                DamosFilterType.Young => Directory.Exists("/sys/kernel/mm/page_idle")
                    ? "user mode would clear accessed bits through /sys/kernel/mm/page_idle/bitmap, which the kernel's own sampling reads"
                    : "there is no /sys/kernel/mm/page_idle/bitmap on this kernel (CONFIG_IDLE_PAGE_TRACKING is off on Debian's kernels)",
                _ => "user mode's paddr actions evaluate only the anon filter (from pagemap)",
            };
            if (why is not null)
                return $"filter '{f}' cannot be evaluated: {why}";
        }
        return null;
    }

    private void Refresh()
    {
        if (!_stale)
            return;
        long t0 = RoundTimes.Now();
        _index.Rebuild(source);
        Times?.AddIndex(t0, _index.NrPages);
        _stale = false;
    }

    public DamosActionResult Apply(ulong start, ulong end, Damos s)
    {
        Refresh();
        var perPid = new SortedDictionary<int, List<ulong>>();
        ulong passed = 0;
        ulong lastPfn = ulong.MaxValue;
        foreach (var p in _index.In(start, end))
        {
            if (p.Pfn == lastPfn)
                continue; // another mapping of a frame already taken
            lastPfn = p.Pfn;
            if (DamosCore.OpsFilterOut(s, p, static (f, page) => f.Type == DamosFilterType.Anon && page.Anon))
                continue;
            passed += PageSize;
            if (!perPid.TryGetValue(p.Pid, out var list))
                perPid[p.Pid] = list = [];
            list.Add(p.Vaddr);
        }

        ulong applied = 0;
        foreach (var (pid, vaddrs) in perPid)
        {
            vaddrs.Sort();
            try
            {
                applied += s.Action switch
                {
                    DamosAction.MigrateHot or DamosAction.MigrateCold when s.TargetNid >= 0 => Migrate(pid, vaddrs, s.TargetNid),
                    DamosAction.Pageout => syscalls.Pageout(pid, Coalesce(vaddrs)),
                    _ => 0,
                };
            }
            catch (TargetGoneException)
            {
                // Its pages went with it; the index forgets it at the next round.
            }
        }
        ulong szPassed = s.Action == DamosAction.Stat && s.OpsFilters.Count == 0 ? 0 : passed;
        return new DamosActionResult(applied, szPassed);
    }

    private ulong Migrate(int pid, List<ulong> vaddrs, int nid)
    {
        var outcome = syscalls.Move(pid, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(vaddrs), nid);
        foreach (var (errno, pages) in outcome.FailedByErrno)
            problems.Count($"move_pages {errno}", pages);
        return outcome.Moved * PageSize;
    }

    /// <summary>Sorted page addresses as maximal contiguous ranges.</summary>
    public static List<AddrRange> Coalesce(List<ulong> sortedVaddrs)
    {
        var ranges = new List<AddrRange>();
        foreach (ulong a in sortedVaddrs)
        {
            if (ranges.Count > 0 && ranges[^1].End == a)
                ranges[^1] = ranges[^1] with { End = a + PageSize };
            else
                ranges.Add(new AddrRange(a, a + PageSize));
        }
        return ranges;
    }

    /// <summary>Mapped bytes of physical [start, end) inside node <paramref name="nid"/>'s span.</summary>
    public ulong BytesOnNode(ulong start, ulong end, AddrRange? nodeSpan)
    {
        if (nodeSpan is not { } span)
            return 0;
        Refresh();
        ulong lo = Math.Max(start, span.Start), hi = Math.Min(end, span.End);
        return lo >= hi ? 0 : (ulong)_index.In(lo, hi).Length * PageSize;
    }
}
