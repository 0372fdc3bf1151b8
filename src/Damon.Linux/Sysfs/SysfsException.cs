namespace Damon.Linux.Sysfs;

/// <summary>
/// A DAMON sysfs file operation the kernel (or the safety rule) refused. The message is the one line
/// the CLI prints, e.g. <c>damon: /sys/.../schemes/0/action: write "migrate_hot" failed: Invalid argument</c>.
/// </summary>
public sealed class SysfsException(string message, string path, int errno = 0) : Exception(message)
{
    /// <summary>The file, relative to the admin root.</summary>
    public string SysfsPath { get; } = path;

    /// <summary>The kernel's errno (EINVAL = 22, EBUSY = 16, ...); 0 when no system call failed.</summary>
    public int Errno { get; } = errno;

    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EPERM = 1;

    /// <summary>strerror's text for the errnos a fake tree raises, so a fake and a real tree word them alike.</summary>
    public static string ErrnoText(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        EACCES => "Permission denied",
        EBUSY => "Device or resource busy",
        EISDIR => "Is a directory",
        EINVAL => "Invalid argument",
        _ => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno),
    };

    public static SysfsException WriteFailed(string shownPath, string relPath, string value, int errno) =>
        new($"damon: {shownPath}: write \"{value}\" failed: {ErrnoText(errno)}", relPath, errno);

    public static SysfsException ReadFailed(string shownPath, string relPath, int errno) =>
        new($"damon: {shownPath}: read failed: {ErrnoText(errno)}", relPath, errno);
}
