using Microsoft.Win32.SafeHandles;

namespace Damon.Linux.Procfs;

/// <summary>
/// /sys/kernel/mm/page_idle/bitmap (CONFIG_IDLE_PAGE_TRACKING): bit (pfn % 64) of the 64-bit word
/// pfn / 64 is the page's idle flag. Writing 1 marks the page idle (and clears its accessed bits);
/// a later read of 0 means the page was accessed since. Debian's kernels are built without it.
/// </summary>
public sealed class PageIdleBitmap : IDisposable
{
    public const string DefaultPath = "/sys/kernel/mm/page_idle/bitmap";
    private readonly SafeFileHandle _fd;

    public PageIdleBitmap(string path)
    {
        Path = path;
        if (!File.Exists(path))
            throw new LinuxSourceException(path, AbsentReason);
        try
        {
            _fd = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException) { throw new LinuxSourceException(path, "permission denied (needs root)"); }
        catch (IOException e) { throw new LinuxSourceException(path, "cannot be opened: " + e.Message); }
    }

    public const string AbsentReason = "absent: the kernel is built without CONFIG_IDLE_PAGE_TRACKING (as every Debian kernel is), so accessed bits cannot be read from user space";

    public string Path { get; }

    /// <summary>Whether the page is still idle (not accessed since <see cref="MarkIdle"/>).</summary>
    public bool IsIdle(ulong pfn)
    {
        Span<byte> word = stackalloc byte[8];
        long offset = checked((long)(pfn / 64) * 8);
        if (RandomAccess.Read(_fd, word, offset) != 8)
            throw new LinuxSourceException(Path, $"no word for pfn 0x{pfn:x}");
        ulong bits = BitConverter.ToUInt64(word);
        return (bits >> (int)(pfn % 64) & 1) != 0;
    }

    /// <summary>Set the idle flag of one page (the kernel ignores pages it cannot track).</summary>
    public void MarkIdle(ulong pfn)
    {
        Span<byte> word = stackalloc byte[8];
        BitConverter.TryWriteBytes(word, 1UL << (int)(pfn % 64));
        RandomAccess.Write(_fd, word, checked((long)(pfn / 64) * 8));
    }

    public void Dispose() => _fd.Dispose();
}
