using Damon.Core.Monitoring;
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

    /// <summary>process_madvise(MADV_PAGEOUT) of the ranges; bytes advised.</summary>
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

    public ulong Pageout(int pid, IReadOnlyList<AddrRange> ranges)
    {
        try
        {
            using var fd = PidFd.Open(pid);
            return ProcessMadvise.Advise(fd, ranges, MadviseAdvice.Pageout).BytesAdvised;
        }
        catch (SyscallException e) when (e.TargetGone)
        {
            throw new TargetGoneException(pid);
        }
    }
}
