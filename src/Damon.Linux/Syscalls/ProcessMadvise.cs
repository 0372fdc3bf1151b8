using System.Runtime.InteropServices;
using Damon.Core.Monitoring;

namespace Damon.Linux.Syscalls;

/// <summary>The advice values process_madvise accepts for another process (include/uapi/asm-generic/mman-common.h).</summary>
public enum MadviseAdvice
{
    Willneed = 3,
    Cold = 20,
    Pageout = 21,
    Collapse = 25,
}

/// <summary>What one <see cref="ProcessMadvise.Advise"/> did: bytes advised and the ranges that failed, with errno.</summary>
public sealed class ProcessMadviseResult
{
    private readonly List<(int Index, int Errno)> _failed = [];

    public ulong BytesAdvised { get; internal set; }
    public int NrCalls { get; internal set; }

    /// <summary>Index into the range list and errno of each range the kernel refused.</summary>
    public IReadOnlyList<(int Index, int Errno)> Failed => _failed;

    internal void Fail(int index, int errno) => _failed.Add((index, errno));

    public bool RangeAdvised(int index) => !_failed.Exists(f => f.Index == index);
}

/// <summary>
/// process_madvise(2) (syscall 440) through a pidfd over a list of ranges (one iovec each, at most
/// UIO_MAXIOV per call). The kernel advises the ranges in order and returns the bytes of the ranges
/// it completed, stopping at the first that fails; that range is then retried alone, which returns
/// its errno, and the walk goes on after it. So every range ends advised or failed with its errno.
/// </summary>
public static class ProcessMadvise
{
    public const int UioMaxIov = 1024;

    [StructLayout(LayoutKind.Sequential)]
    private struct Iovec
    {
        public ulong Base;
        public ulong Len;
    }

    public static unsafe ProcessMadviseResult Advise(PidFd pidfd, IReadOnlyList<AddrRange> ranges, MadviseAdvice advice)
    {
        var result = new ProcessMadviseResult();
        var iov = new Iovec[Math.Min(UioMaxIov, Math.Max(ranges.Count, 1))];
        int next = 0;
        while (next < ranges.Count)
        {
            int n = Math.Min(iov.Length, ranges.Count - next);
            ulong total = 0;
            for (int i = 0; i < n; i++)
            {
                iov[i] = new Iovec { Base = ranges[next + i].Start, Len = ranges[next + i].Size };
                total += iov[i].Len;
            }
            long rc;
            fixed (Iovec* v = iov)
                rc = LibC.Syscall6(LibC.SYS_process_madvise, (long)pidfd.DangerousGetHandle(), (long)v, n, (int)advice, 0, 0);
            result.NrCalls++;
            if (rc < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == (int)LinuxErrno.ESRCH || errno == (int)LinuxErrno.EBADF || errno == (int)LinuxErrno.ENOSYS
                    || errno == (int)LinuxErrno.EPERM)
                    throw new SyscallException("process_madvise", errno, $"{advice.ToString().ToLowerInvariant()} on pid {pidfd.Pid}");
                // The first range failed: record it and go on after it.
                result.Fail(next, errno);
                next++;
                continue;
            }
            result.BytesAdvised += (ulong)rc;
            if ((ulong)rc == total)
            {
                next += n;
                continue;
            }
            // Partial: whole ranges were advised up to the failing one, which the next call starts at.
            ulong done = 0;
            int k = 0;
            while (k < n && done + iov[k].Len <= (ulong)rc) done += iov[k++].Len;
            next += k;
        }
        return result;
    }
}
