using Damon.Core.Monitoring;

namespace Damon.Linux.Procfs;

/// <summary>One line of /proc/PID/maps: a VMA [Start, End) with its permissions and backing.</summary>
public sealed record Vma(ulong Start, ulong End, string Perms, ulong Offset, string Dev, ulong Inode, string Path)
{
    public ulong Size => End - Start;
    public AddrRange Range => new(Start, End);
    public bool Readable => Perms.Length > 0 && Perms[0] == 'r';
    public bool Writable => Perms.Length > 1 && Perms[1] == 'w';
    public bool Executable => Perms.Length > 2 && Perms[2] == 'x';
    public bool Shared => Perms.Length > 3 && Perms[3] == 's';

    /// <summary>Anonymous memory: no inode (heap, stack, anonymous mmap).</summary>
    public bool IsAnon => Inode == 0;

    /// <summary>
    /// [vsyscall] is the gate area: /proc/PID/maps prints it, but it is not in the mm's VMA tree,
    /// so the kernel's VMA walks (damon_va_three_regions) never see it.
    /// </summary>
    public bool IsGateArea => Path == "[vsyscall]";
}
