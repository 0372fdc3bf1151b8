using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Damon.Linux.Syscalls;

/// <summary>
/// A pidfd (pidfd_open(2), syscall 434): a stable reference to a process that cannot be confused
/// with a later process reusing the pid. process_madvise takes one.
/// </summary>
public sealed class PidFd : SafeHandleZeroOrMinusOneIsInvalid
{
    private PidFd() : base(ownsHandle: true) { }

    public int Pid { get; private init; }

    /// <summary>Open a pidfd; ESRCH (<see cref="SyscallException.TargetGone"/>) when the process is gone.</summary>
    public static PidFd Open(int pid)
    {
        long fd = LibC.Syscall6(LibC.SYS_pidfd_open, pid, 0, 0, 0, 0, 0);
        if (fd < 0)
            throw new SyscallException("pidfd_open", Marshal.GetLastPInvokeError(), $"pid {pid}");
        var h = new PidFd { Pid = pid };
        h.SetHandle((nint)fd);
        return h;
    }

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
