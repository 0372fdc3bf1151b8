using System.Runtime.InteropServices;

namespace Damon.Linux.Syscalls;

/// <summary>
/// A private anonymous mmap of this process: memory whose pages a test or a workload can touch,
/// query, move and advise, unmapped on dispose.
/// </summary>
public sealed unsafe class AnonymousMapping : IDisposable
{
    public const int MADV_NOHUGEPAGE = 15;

    public AnonymousMapping(ulong bytes, bool noHugepage = true)
    {
        Length = bytes;
        nint p = LibC.Mmap(0, (nuint)bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (p == LibC.MAP_FAILED)
            throw new SyscallException("mmap", Marshal.GetLastPInvokeError(), $"{bytes} bytes of anonymous memory");
        Address = (ulong)p;
        // Base pages keep per-page counts exact (a THP would move or fault 512 pages at once).
        if (noHugepage && LibC.Madvise(p, (nuint)bytes, MADV_NOHUGEPAGE) != 0)
            throw new SyscallException("madvise", Marshal.GetLastPInvokeError(), "MADV_NOHUGEPAGE");
    }

    public ulong Address { get; }
    public ulong Length { get; }
    public ulong End => Address + Length;
    public ulong NrPages => Length / 4096;

    /// <summary>Write one byte in every page of [offset, offset + bytes) so each page is faulted in.</summary>
    public void Touch(ulong offset = 0, ulong bytes = ulong.MaxValue)
    {
        ulong end = bytes == ulong.MaxValue ? Length : Math.Min(Length, offset + bytes);
        byte* p = (byte*)Address;
        for (ulong a = offset; a < end; a += 4096) p[a]++;
    }

    /// <summary>The address of every page in the mapping.</summary>
    public ulong[] PageAddresses()
    {
        var a = new ulong[NrPages];
        for (ulong i = 0; i < NrPages; i++) a[i] = Address + i * 4096;
        return a;
    }

    public void Dispose()
    {
        if (LibC.Munmap((nint)Address, (nuint)Length) != 0)
            throw new SyscallException("munmap", Marshal.GetLastPInvokeError(), $"0x{Address:x}");
    }
}
