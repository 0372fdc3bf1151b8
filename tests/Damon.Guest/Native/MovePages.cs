using System.Runtime.InteropServices;

namespace Damon.Guest.Native;

/// <summary>move_pages(2) and anonymous mappings through libc (the guest suite's own; the product's Linux backend
/// has its own in Damon.Linux).</summary>
public static unsafe class MovePages
{
    private const long SYS_move_pages = 279;   // x86_64
    public const int MPOL_MF_MOVE = 1 << 1;
    public const int PageSize = 4096;
    private const int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MADV_NOHUGEPAGE = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long pid, ulong count, void** pages, int* nodes, int* status, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int munmap(nint addr, nuint length);

    [DllImport("libc", SetLastError = true)]
    private static extern int madvise(nint addr, nuint length, int advice);

    /// <summary>A private anonymous mapping in 4 KiB pages (no THP), every page written once.</summary>
    public static nint MapTouched(long bytes)
    {
        nint p = mmap(0, (nuint)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == -1) throw new InvalidOperationException($"mmap of {bytes} bytes failed: errno {Marshal.GetLastPInvokeError()}");
        madvise(p, (nuint)bytes, MADV_NOHUGEPAGE);
        for (long off = 0; off < bytes; off += PageSize) ((byte*)p)[off] = 1;
        return p;
    }

    public static void Unmap(nint p, long bytes) => munmap(p, (nuint)bytes);

    /// <summary>move_pages of the calling process: with <paramref name="node"/> null a query; returns the syscall's
    /// result (the number of pages not moved) and fills <paramref name="status"/> (node or -errno per page).</summary>
    public static long Call(nint start, int nrPages, int? node, int[] status)
    {
        var pages = new nint[nrPages];
        for (int i = 0; i < nrPages; i++) pages[i] = start + (nint)i * PageSize;
        var nodes = node is int n ? Enumerable.Repeat(n, nrPages).ToArray() : null;
        fixed (nint* pp = pages)
        fixed (int* np = nodes)
        fixed (int* sp = status)
        {
            long rc = syscall(SYS_move_pages, 0, (ulong)nrPages, (void**)pp, node is null ? null : np, sp, node is null ? 0 : MPOL_MF_MOVE);
            if (rc < 0) throw new InvalidOperationException($"move_pages failed: errno {Marshal.GetLastPInvokeError()}");
            return rc;
        }
    }
}
