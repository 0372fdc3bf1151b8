using System.Runtime.InteropServices;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Reports;

/// <summary>
/// A userfaultfd (userfaultfd(2)): the fd watches the address space of the process that created it
/// (<see cref="OwnerPid"/>). Damon creates one for itself, or takes a cooperating process's with
/// pidfd_getfd(2) (<see cref="Adopt"/>); the ioctls act on the creator's memory either way.
/// </summary>
public sealed unsafe class Userfaultfd : IDisposable
{
    private int _fd;

    private Userfaultfd(int fd, int ownerPid)
    {
        _fd = fd;
        OwnerPid = ownerPid;
    }

    public int Fd => _fd;
    public int OwnerPid { get; }
    /// <summary>The features the UFFDIO_API handshake enabled (or, for a probe with none asked, offered).</summary>
    public ulong Features { get; private set; }

    /// <summary>A new userfaultfd on this process, non-blocking (the handler polls it).</summary>
    public static Userfaultfd Open(bool userModeOnly)
    {
        long flags = UffdApi.O_CLOEXEC | UffdApi.O_NONBLOCK | (userModeOnly ? UffdApi.UFFD_USER_MODE_ONLY : 0);
        long fd = LibC.Syscall6(LibC.SYS_userfaultfd, flags, 0, 0, 0, 0, 0);
        if (fd < 0)
            throw new SyscallException("userfaultfd", Marshal.GetLastPInvokeError(), userModeOnly ? "UFFD_USER_MODE_ONLY" : "this process");
        return new Userfaultfd((int)fd, LibC.Getpid());
    }

    /// <summary>
    /// Take fd number <paramref name="targetFd"/> of process <paramref name="pid"/>, a userfaultfd that
    /// process created (and has not handshaken yet) so Damon can register and protect its memory.
    /// Needs ptrace access to it (same user, or CAP_SYS_PTRACE).
    /// </summary>
    public static Userfaultfd Adopt(int pid, int targetFd)
    {
        using var pidfd = PidFd.Open(pid);
        long fd = LibC.Syscall6(LibC.SYS_pidfd_getfd, pidfd.DangerousGetHandle(), targetFd, 0, 0, 0, 0);
        if (fd < 0)
            throw new SyscallException("pidfd_getfd", Marshal.GetLastPInvokeError(), $"pid {pid} fd {targetFd}");
        return new Userfaultfd((int)fd, pid);
    }

    /// <summary>UFFDIO_API: enable <paramref name="features"/> (0 asks which features the kernel offers).</summary>
    public void Handshake(ulong features)
    {
        var api = new UffdApi.uffdio_api { api = UffdApi.UFFD_API, features = features };
        if (LibC.Ioctl(_fd, UffdApi.UFFDIO_API, &api) != 0)
            throw new SyscallException("ioctl(UFFDIO_API)", Marshal.GetLastPInvokeError(), $"features 0x{features:x}");
        Features = api.features;
    }

    /// <summary>UFFDIO_REGISTER of [start, start + len) in <paramref name="mode"/>.</summary>
    public void Register(ulong start, ulong len, ulong mode)
    {
        var reg = new UffdApi.uffdio_register { range = new() { start = start, len = len }, mode = mode };
        if (LibC.Ioctl(_fd, UffdApi.UFFDIO_REGISTER, &reg) != 0)
            throw new SyscallException("ioctl(UFFDIO_REGISTER)", Marshal.GetLastPInvokeError(), Range(start, len));
    }

    public void Unregister(ulong start, ulong len)
    {
        var r = new UffdApi.uffdio_range { start = start, len = len };
        if (LibC.Ioctl(_fd, UffdApi.UFFDIO_UNREGISTER, &r) != 0)
            throw new SyscallException("ioctl(UFFDIO_UNREGISTER)", Marshal.GetLastPInvokeError(), Range(start, len));
    }

    /// <summary>UFFDIO_WRITEPROTECT: protect, or un-protect and wake the threads waiting in a write fault there.</summary>
    public void WriteProtect(ulong start, ulong len, bool protect)
    {
        var wp = new UffdApi.uffdio_writeprotect
        {
            range = new() { start = start, len = len },
            mode = protect ? UffdApi.UFFDIO_WRITEPROTECT_MODE_WP : 0,
        };
        if (LibC.Ioctl(_fd, UffdApi.UFFDIO_WRITEPROTECT, &wp) != 0)
            throw new SyscallException("ioctl(UFFDIO_WRITEPROTECT)", Marshal.GetLastPInvokeError(), Range(start, len));
    }

    /// <summary>The messages waiting, without blocking; 0 when there are none.</summary>
    public int ReadMessages(Span<UffdApi.uffd_msg> msgs)
    {
        fixed (UffdApi.uffd_msg* p = msgs)
        {
            long n = LibC.Syscall6(LibC.SYS_read, _fd, (long)p, msgs.Length * sizeof(UffdApi.uffd_msg), 0, 0, 0);
            if (n >= 0) return (int)(n / sizeof(UffdApi.uffd_msg));
            int errno = Marshal.GetLastPInvokeError();
            if (errno is (int)LinuxErrno.EAGAIN or (int)LinuxErrno.EINTR) return 0;
            throw new SyscallException("read(userfaultfd)", errno, $"pid {OwnerPid}");
        }
    }

    private static string Range(ulong start, ulong len) => $"0x{start:x}-0x{start + len:x}";

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) LibC.Close(fd);
    }
}
