namespace Damon.Linux.Backend.UserMode;

/// <summary>One mapped page: physical frame, and where a process maps it.</summary>
public readonly record struct MappedPage(ulong Pfn, int Pid, ulong Vaddr, bool Anon);

/// <summary>
/// Where processes map their pages, for paddr targets in user mode: user space cannot migrate a
/// physical address, only a process's virtual one, so each physical region is turned into the
/// (pid, vaddr) pairs that map its frames. <see cref="IProcessPageSource"/> supplies the pages
/// (pagemap PFNs; root only); the index is sorted by PFN and rebuilt once per apply round.
/// A frame mapped by several processes appears once per mapping; the first mapping moves it.
/// </summary>
public sealed class PhysPageIndex
{
    public const int PageShift = 12;
    private MappedPage[] _pages = [];

    public int NrPages => _pages.Length;

    /// <summary>Rebuild from the current mappings of <paramref name="source"/>'s processes.</summary>
    public void Rebuild(IProcessPageSource source)
    {
        var list = new List<MappedPage>();
        foreach (int pid in source.Pids())
            source.AddPresentPages(pid, list);
        list.Sort((a, b) => a.Pfn != b.Pfn ? a.Pfn.CompareTo(b.Pfn) : a.Pid != b.Pid ? a.Pid.CompareTo(b.Pid) : a.Vaddr.CompareTo(b.Vaddr));
        _pages = [.. list];
    }

    /// <summary>The mapped pages whose frames lie in physical [start, end), in PFN order.</summary>
    public ReadOnlySpan<MappedPage> In(ulong start, ulong end)
    {
        ulong first = start >> PageShift, last = (end + (1UL << PageShift) - 1) >> PageShift;
        int lo = LowerBound(first), hi = LowerBound(last);
        return _pages.AsSpan(lo, hi - lo);
    }

    private int LowerBound(ulong pfn)
    {
        int lo = 0, hi = _pages.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_pages[mid].Pfn < pfn) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>The processes whose pages paddr user mode may act on, and their present pages.</summary>
public interface IProcessPageSource
{
    IEnumerable<int> Pids();

    /// <summary>Append <paramref name="pid"/>'s present pages; nothing if it exited meanwhile.</summary>
    void AddPresentPages(int pid, List<MappedPage> into);
}
