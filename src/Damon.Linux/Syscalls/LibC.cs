using System.Runtime.InteropServices;

namespace Damon.Linux.Syscalls;

/// <summary>The raw libc entry points (x86_64 syscall numbers). Errors come back through errno.</summary>
internal static unsafe partial class LibC
{
    public const long SYS_get_mempolicy = 239;
    public const long SYS_move_pages = 279;
    public const long SYS_pidfd_open = 434;
    public const long SYS_process_madvise = 440;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(nint addr, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>openat(2) with a NUL-terminated path relative to <paramref name="dirFd"/>: no string marshalling.</summary>
    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirFd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true)]
    public static partial int FAccessAt(int dirFd, byte* path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buf, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buf, nint count);

    public const int O_RDONLY = 0, O_WRONLY = 1, O_TRUNC = 0x200, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    public const int F_OK = 0;

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int Getpid();

    public const int PROT_READ = 1, PROT_WRITE = 2;
    public const int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20;
    public static readonly nint MAP_FAILED = -1;
}

/// <summary>
/// The entry points of the access-report sources (src/Damon.Linux/Reports): userfaultfd, its ioctls,
/// PAGEMAP_SCAN, the handler thread's poll/read/eventfd, thread ids and CPU pinning.
/// </summary>
internal static unsafe partial class LibC
{
    // read(2)/write(2) go through syscall() here: the sysfs block has its own read/write entry points.
    public const long SYS_read = 0, SYS_write = 1;
    public const long SYS_sched_setaffinity = 203;
    public const long SYS_gettid = 186;
    public const long SYS_userfaultfd = 323;
    public const long SYS_pidfd_getfd = 438;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, void* arg);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint nfds, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int Eventfd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "memset")]
    public static partial void* Memset(void* s, int c, nuint n);

    public const int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    public const short POLLIN = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}

internal static unsafe partial class LibCStat
{
    // struct stat on x86_64: st_dev (8 bytes), then st_ino (8 bytes); 144 bytes in all.
    public const int StatSize = 144;
    public const int StInoOffset = 8;

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Stat(string path, byte* buf);

    /// <summary>The inode number of <paramref name="path"/>, or null with errno when stat fails.</summary>
    public static ulong? Inode(string path, out int errno)
    {
        byte* buf = stackalloc byte[StatSize];
        errno = 0;
        if (Stat(path, buf) != 0)
        {
            errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return null;
        }
        return *(ulong*)(buf + StInoOffset);
    }
}
