using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Damon.Linux.Procfs;

/// <summary>
/// A /proc file with one 64-bit word per page frame: /proc/kpageflags (flags), /proc/kpagecgroup
/// (the inode number of the page's memory cgroup), /proc/kpagecount. Both need CAP_SYS_ADMIN
/// (mode 0400 root) and PFNs, which pagemap hands out only to CAP_SYS_ADMIN readers.
/// </summary>
public sealed class PfnTable : IDisposable
{
    public const string KpageflagsPath = "/proc/kpageflags";
    public const string KpagecgroupPath = "/proc/kpagecgroup";
    private readonly SafeFileHandle _fd;

    public PfnTable(string path)
    {
        Path = path;
        _fd = LinuxFiles.OpenRead(path);
    }

    public string Path { get; }

    /// <summary>The words of PFNs [pfn, pfn + dst.Length): one pread.</summary>
    public void Read(ulong pfn, Span<ulong> dst)
    {
        LinuxFiles.PreadExact(_fd, MemoryMarshal.AsBytes(dst), checked((long)pfn * 8), Path,
            done => $"pfn 0x{pfn + (ulong)done / 8:x} (beyond the last page frame)");
    }

    public ulong Read(ulong pfn)
    {
        Span<ulong> one = stackalloc ulong[1];
        Read(pfn, one);
        return one[0];
    }

    public void Dispose() => _fd.Dispose();
}

/// <summary>The bits of a /proc/kpageflags word (include/uapi/linux/kernel-page-flags.h).</summary>
[Flags]
public enum KpageFlags : ulong
{
    None = 0,
    Locked = 1UL << 0,
    Error = 1UL << 1,
    Referenced = 1UL << 2,
    Uptodate = 1UL << 3,
    Dirty = 1UL << 4,
    Lru = 1UL << 5,
    Active = 1UL << 6,
    Slab = 1UL << 7,
    Writeback = 1UL << 8,
    Reclaim = 1UL << 9,
    Buddy = 1UL << 10,
    Mmap = 1UL << 11,
    Anon = 1UL << 12,
    Swapcache = 1UL << 13,
    Swapbacked = 1UL << 14,
    CompoundHead = 1UL << 15,
    CompoundTail = 1UL << 16,
    Huge = 1UL << 17,
    Unevictable = 1UL << 18,
    Hwpoison = 1UL << 19,
    Nopage = 1UL << 20,
    Ksm = 1UL << 21,
    Thp = 1UL << 22,
    Offline = 1UL << 23,
    ZeroPage = 1UL << 24,
    Idle = 1UL << 25,
    Pgtable = 1UL << 26,
}
