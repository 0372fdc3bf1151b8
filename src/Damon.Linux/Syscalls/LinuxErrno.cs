namespace Damon.Linux.Syscalls;

/// <summary>The errno values the syscalls here report (asm-generic/errno-base.h, errno.h).</summary>
public enum LinuxErrno
{
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENOSYS = 38,
    EOPNOTSUPP = 95,
}

public static class LinuxErrnos
{
    /// <summary>"ENODEV" for 19, "errno 123" for a value not in <see cref="LinuxErrno"/>.</summary>
    public static string Name(int errno) =>
        Enum.IsDefined(typeof(LinuxErrno), errno) ? ((LinuxErrno)errno).ToString() : $"errno {errno}";

    /// <summary>What the errno means for the calls here, in a few words.</summary>
    public static string Meaning(int errno) => (LinuxErrno)errno switch
    {
        LinuxErrno.EPERM => "operation not permitted (needs root or CAP_SYS_NICE)",
        LinuxErrno.ENOENT => "page not present",
        LinuxErrno.ESRCH => "no such process (the target exited)",
        LinuxErrno.EINTR => "interrupted",
        LinuxErrno.E2BIG => "too many ranges",
        LinuxErrno.EBADF => "bad pidfd",
        LinuxErrno.EAGAIN => "temporarily unavailable",
        LinuxErrno.ENOMEM => "out of memory, or the range is not fully mapped",
        LinuxErrno.EACCES => "page mapped by several processes (needs MPOL_MF_MOVE_ALL) or node not allowed",
        LinuxErrno.EFAULT => "bad address (not mapped, or a zero page)",
        LinuxErrno.EBUSY => "page busy (locked, under I/O, or pinned)",
        LinuxErrno.EEXIST => "page already being moved",
        LinuxErrno.ENODEV => "no such node, or the node has no memory",
        LinuxErrno.EINVAL => "invalid argument (advice or flags not supported by this kernel)",
        LinuxErrno.ENOSYS => "syscall not implemented by this kernel",
        LinuxErrno.EOPNOTSUPP => "not supported",
        _ => "error",
    };

    public static string Describe(int errno) => $"{Name(errno)}: {Meaning(errno)}";
}

/// <summary>
/// A failed syscall: one line naming the call, its target and the errno. <see cref="TargetGone"/>
/// (ESRCH) lets a caller drop just that target and keep serving the others.
/// </summary>
public sealed class SyscallException(string call, int errno, string detail)
    : Exception($"{call}: {detail}: {LinuxErrnos.Describe(errno)}")
{
    public string Call { get; } = call;
    public int Errno { get; } = errno;
    public bool TargetGone => Errno == (int)LinuxErrno.ESRCH;
}
