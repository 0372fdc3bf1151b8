using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Damon.Linux.Procfs;

/// <summary>
/// Reads /proc/PID/pagemap: entry i of the file describes virtual page i. A range of pages is one
/// positioned read (pread) of 8 bytes per page, not a read per page.
/// </summary>
public sealed class PagemapReader : IDisposable
{
    public const int PageShift = 12;
    public const ulong PageSize = 1UL << PageShift;
    private readonly SafeFileHandle _fd;

    public PagemapReader(string path)
    {
        Path = path;
        _fd = LinuxFiles.OpenRead(path);
    }

    public static string PathOf(int pid, string procRoot = "/proc") =>
        System.IO.Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "pagemap");

    public string Path { get; }

    /// <summary>
    /// Fill <paramref name="entries"/> with the entries of the pages from the page holding
    /// <paramref name="startAddr"/> on. Unmapped pages read as 0 (nothing set).
    /// </summary>
    public void Read(ulong startAddr, Span<PagemapEntry> entries)
    {
        long offset = checked((long)(startAddr >> PageShift) * 8);
        LinuxFiles.PreadExact(_fd, MemoryMarshal.AsBytes(entries), offset, Path,
            done => $"address 0x{startAddr + ((ulong)done / 8 << PageShift):x} (beyond the address space, or the process exited)");
    }

    /// <summary>The entries of [start, end), page-aligned outward.</summary>
    public PagemapEntry[] ReadRange(ulong start, ulong end)
    {
        ulong first = start >> PageShift, last = (end + PageSize - 1) >> PageShift;
        var entries = new PagemapEntry[checked((int)(last - first))];
        Read(first << PageShift, entries);
        return entries;
    }

    public void Dispose() => _fd.Dispose();
}
