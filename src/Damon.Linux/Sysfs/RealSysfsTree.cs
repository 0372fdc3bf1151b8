using System.Runtime.InteropServices;
using System.Text;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Sysfs;

/// <summary>
/// The admin tree on disk under <see cref="Root"/>. Writes are one open/write/close each, through
/// libc, so a kernel refusal surfaces as its errno (sysfs handlers answer write(2) with -EINVAL,
/// -EBUSY, ...) rather than as a .NET exception text. Decimal files are read the same way into a
/// stack buffer, without a string. Build it from <see cref="SysfsRoot"/>, which applies the safety rule.
/// </summary>
public sealed class RealSysfsTree : ISysfsTree
{
    public string Root { get; }

    /// <summary>Writes are refused (status reading of a non-guest default root).</summary>
    public bool ReadOnly { get; }

    private readonly string? _refusal;

    internal RealSysfsTree(string root, bool readOnly, string? refusal)
    {
        Root = root.TrimEnd('/');
        ReadOnly = readOnly;
        _refusal = refusal;
    }

    internal string Full(string path) => Root + "/" + path;

    public string Read(string path)
    {
        var full = Full(path);
        try
        {
            var text = File.ReadAllText(full);
            return text.EndsWith('\n') ? text[..^1] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SysfsException.ReadFailed(full, path, ErrnoOf(e));
        }
    }

    public ulong ReadUInt64(string path)
    {
        int fd = LibC.Open(Full(path), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
            throw SysfsException.ReadFailed(Full(path), path, Marshal.GetLastPInvokeError());
        return DecimalOrThrow(fd, path);
    }

    /// <summary>Reads the open file <paramref name="fd"/> (closing it) as a decimal; a failure names <paramref name="relPath"/>.</summary>
    private ulong DecimalOrThrow(int fd, string relPath) =>
        TryReadDecimal(fd, out ulong v, out int errno, out string? text) ? v : NotDecimal(relPath, errno, text);

    /// <summary>What <see cref="TryReadDecimal"/>'s failure means: the read's errno, or a text that is not a number.</summary>
    internal ulong NotDecimal(string relPath, int errno, string? text) =>
        text is null ? throw SysfsException.ReadFailed(Full(relPath), relPath, errno) : SysfsText.ParseUInt64(relPath, text);

    /// <summary>
    /// One read(2) of a sysfs decimal file (the kernel fills it at once) and its close. False with the errno when the
    /// read failed, or with errno 0 and the text when it is not a plain number (the caller words the error).
    /// </summary>
    internal static unsafe bool TryReadDecimal(int fd, out ulong value, out int errno, out string? text)
    {
        byte* buf = stackalloc byte[32];
        nint n = LibC.Read(fd, buf, 32);
        errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        LibC.Close(fd);
        value = 0;
        text = null;
        if (n < 0)
            return false;
        int i = 0, len = (int)n, digits = 0;
        for (; i < len && buf[i] is >= (byte)'0' and <= (byte)'9'; i++, digits++)
            value = checked(value * 10 + (ulong)(buf[i] - '0'));
        for (; i < len && buf[i] is (byte)'\n' or (byte)' '; i++) { }
        if (digits != 0 && i == len)
            return true;
        text = Encoding.ASCII.GetString(buf, len);
        return false;
    }

    public unsafe void Write(string path, string value)
    {
        var full = Full(path);
        if (ReadOnly)
            throw new SysfsException($"damon: {full}: write \"{value}\" refused: {_refusal}", path, SysfsException.EPERM);
        var bytes = Encoding.ASCII.GetBytes(value);
        int fd = LibC.Open(full, LibC.O_WRONLY | LibC.O_TRUNC | LibC.O_CLOEXEC);
        if (fd < 0)
            throw SysfsException.WriteFailed(full, path, value, Marshal.GetLastPInvokeError());
        nint n;
        fixed (byte* p = bytes)
            n = LibC.Write(fd, p, bytes.Length);
        int err = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        LibC.Close(fd);
        if (n < 0)
            throw SysfsException.WriteFailed(full, path, value, err);
    }

    public bool FileExists(string path) => File.Exists(Full(path));

    public bool DirExists(string path) => Directory.Exists(Full(path));

    public IReadOnlyList<string> ChildDirs(string path)
    {
        var full = Full(path);
        if (!Directory.Exists(full))
            return [];
        var names = Directory.GetDirectories(full).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public ISysfsNumberedDir OpenNumberedDir(string path) => new RealSysfsNumberedDir(this, path);

    internal static int ErrnoOf(Exception e) => e switch
    {
        UnauthorizedAccessException => SysfsException.EACCES,
        FileNotFoundException or DirectoryNotFoundException => SysfsException.ENOENT,
        _ => e.HResult & 0xffff,
    };
}
