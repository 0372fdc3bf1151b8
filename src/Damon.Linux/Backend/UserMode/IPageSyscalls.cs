using Damon.Core.Monitoring;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Backend.UserMode;

/// <summary>What one move did: pages moved, and pages that failed, by errno name ("EPERM").</summary>
public sealed record MoveOutcome(ulong Moved, IReadOnlyDictionary<string, ulong> FailedByErrno);

/// <summary>
/// The page-level system calls paddr user mode acts through, so tests need no real process.
/// Both throw <see cref="TargetGoneException"/> when the process exited.
/// </summary>
public interface IPageSyscalls
{
    MoveOutcome Move(int pid, ReadOnlySpan<ulong> vaddrs, int node);

    /// <summary>
    /// process_madvise(MADV_PAGEOUT) of the ranges; the bytes that left memory, as damon_pa_pageout counts the
    /// folios reclaim_pages() reclaimed, not the bytes advised.
    /// </summary>
    ulong Pageout(int pid, IReadOnlyList<AddrRange> ranges);
}

/// <summary>move_pages(2) and process_madvise(2) through l-procfs's syscall wrappers.</summary>
public sealed class LinuxPageSyscalls(MovePages? movePages = null) : IPageSyscalls
{
    private readonly MovePages _movePages = movePages ?? new MovePages();

    public MoveOutcome Move(int pid, ReadOnlySpan<ulong> vaddrs, int node)
    {
        try
        {
            var r = _movePages.Move(pid, vaddrs, node);
            var failed = r.FailedByErrno.ToDictionary(kv => LinuxErrnos.Name(kv.Key), kv => kv.Value);
            if (r.NotMigrated != 0)
                failed["not migrated"] = r.NotMigrated;
            return new MoveOutcome(r.Moved, failed);
        }
        catch (SyscallException e) when (e.TargetGone)
        {
            throw new TargetGoneException(pid);
        }
        catch (SyscallException e)
        {
            // A query refused as a whole (EPERM on another user's process): every page failed so.
            return new MoveOutcome(0, new Dictionary<string, ulong> { [LinuxErrnos.Name(e.Errno)] = (ulong)vaddrs.Length });
        }
    }

    /// <summary>
    /// process_madvise returns the bytes it advised, and the kernel advises pages it cannot reclaim too: without swap
    /// an anonymous page is isolated and put back (the test-bed guest has no swap, so RECLAIM's pageout of a cold
    /// anonymous range was counted applied though nothing left memory). So the advised ranges' pages are
    /// looked up again: a page no longer present in the process's pagemap was unmapped from the process (dropped,
    /// swapped out, or still under writeback: shrink_folio_list unmaps before it knows a dirty folio can be written,
    /// and a page already absent before the call counts too), which is closer to what the kernel counts than the bytes
    /// advised but not exact. A page refaulted between the call and the lookup is not counted, as the kernel would
    /// count it; that is the price of reading the outcome from user space.
    /// </summary>
    public ulong Pageout(int pid, IReadOnlyList<AddrRange> ranges)
    {
        try
        {
            using var fd = PidFd.Open(pid);
            var advised = ProcessMadvise.Advise(fd, ranges, MadviseAdvice.Pageout);
            return NotPresentBytes(pid, ranges, advised);
        }
        catch (SyscallException e) when (e.TargetGone)
        {
            throw new TargetGoneException(pid);
        }
    }

    private static ulong NotPresentBytes(int pid, IReadOnlyList<AddrRange> ranges, ProcessMadviseResult advised)
    {
        try
        {
            using var pagemap = new PagemapReader(PagemapReader.PathOf(pid));
            ulong gone = 0;
            for (int i = 0; i < ranges.Count; i++)
            {
                if (!advised.RangeAdvised(i))
                    continue;
                foreach (var e in pagemap.ReadRange(ranges[i].Start, ranges[i].End))
                    if (!e.Present)
                        gone += PagemapReader.PageSize;
            }
            return gone;
        }
        catch (Exception e) when (e is LinuxSourceException or IOException or UnauthorizedAccessException)
        {
            // Its pagemap went with it: the process exited after the advice.
            throw new TargetGoneException(pid);
        }
    }
}
