using System.Runtime.InteropServices;

namespace Damon.Linux.Reports;

/// <summary>include/uapi/linux/userfaultfd.h, x86_64 (the ioctl numbers are _IOWR(0xAA, nr, struct)).</summary>
public static class UffdApi
{
    public const ulong UFFD_API = 0xAA;
    /// <summary>userfaultfd(2) flags (the O_ values of asm-generic/fcntl.h).</summary>
    public const int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    /// <summary>userfaultfd(2) flag: handle only faults from user mode (what an unprivileged user may ask
    /// when vm.unprivileged_userfaultfd is 0).</summary>
    public const int UFFD_USER_MODE_ONLY = 1;

    public const ulong UFFDIO_API = 0xC018AA3F;          // _IOWR(UFFDIO, _UFFDIO_API, struct uffdio_api)
    public const ulong UFFDIO_REGISTER = 0xC020AA00;     // _IOWR(UFFDIO, _UFFDIO_REGISTER, struct uffdio_register)
    public const ulong UFFDIO_UNREGISTER = 0x8010AA01;   // _IOR(UFFDIO, _UFFDIO_UNREGISTER, struct uffdio_range)
    public const ulong UFFDIO_WRITEPROTECT = 0xC018AA06; // _IOWR(UFFDIO, _UFFDIO_WRITEPROTECT, struct uffdio_writeprotect)

    public const ulong UFFDIO_REGISTER_MODE_WP = 1UL << 1;
    public const ulong UFFDIO_WRITEPROTECT_MODE_WP = 1UL << 0;

    public const ulong UFFD_FEATURE_PAGEFAULT_FLAG_WP = 1UL << 0;
    public const ulong UFFD_FEATURE_THREAD_ID = 1UL << 8;
    public const ulong UFFD_FEATURE_WP_UNPOPULATED = 1UL << 13;
    public const ulong UFFD_FEATURE_WP_ASYNC = 1UL << 15;

    public const byte UFFD_EVENT_PAGEFAULT = 0x12;
    public const ulong UFFD_PAGEFAULT_FLAG_WRITE = 1UL << 0;
    public const ulong UFFD_PAGEFAULT_FLAG_WP = 1UL << 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct uffdio_api
    {
        public ulong api, features, ioctls;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct uffdio_range
    {
        public ulong start, len;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct uffdio_register
    {
        public uffdio_range range;
        public ulong mode, ioctls;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct uffdio_writeprotect
    {
        public uffdio_range range;
        public ulong mode;
    }

    /// <summary>struct uffd_msg, 32 bytes: the page-fault member of its union (flags, address, feat.ptid).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    public struct uffd_msg
    {
        [FieldOffset(0)] public byte @event;
        [FieldOffset(8)] public ulong pagefault_flags;
        [FieldOffset(16)] public ulong pagefault_address;
        [FieldOffset(24)] public uint pagefault_ptid;
    }
}
