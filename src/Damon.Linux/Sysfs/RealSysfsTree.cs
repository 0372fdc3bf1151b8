using System.Runtime.InteropServices;
using System.Text;

namespace Damon.Linux.Sysfs;

/// <summary>
/// The admin tree on disk under <see cref="Root"/>. Writes are one open/write/close each, through
/// libc, so a kernel refusal surfaces as its errno (sysfs handlers answer write(2) with -EINVAL,
/// -EBUSY, ...) rather than as a .NET exception text. Build it from <see cref="SysfsRoot"/>, which
/// applies the safety rule.
/// </summary>
public sealed partial class RealSysfsTree : ISysfsTree
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

    private string Full(string path) => Root + "/" + path;

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
        Span<byte> buf = stackalloc byte[32];
        int fd = Libc.open(Full(path), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0)
            throw SysfsException.ReadFailed(Full(path), path, Marshal.GetLastPInvokeError());
        nint n;
        unsafe
        {
            fixed (byte* p = buf)
                n = Libc.read(fd, p, buf.Length);
        }
        int err = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        Libc.close(fd);
        if (n < 0)
            throw SysfsException.ReadFailed(Full(path), path, err);
        ulong v = 0;
        int i = 0, len = (int)n, digits = 0;
        for (; i < len && buf[i] is >= (byte)'0' and <= (byte)'9'; i++, digits++)
            v = checked(v * 10 + (ulong)(buf[i] - '0'));
        for (; i < len && buf[i] is (byte)'\n' or (byte)' '; i++) { }
        if (digits == 0 || i != len)
            return SysfsText.ParseUInt64(path, Encoding.ASCII.GetString(buf[..len]));
        return v;
    }

    public void Write(string path, string value)
    {
        var full = Full(path);
        if (ReadOnly)
            throw new SysfsException($"damon: {full}: write \"{value}\" refused: {_refusal}", path, SysfsException.EPERM);
        var bytes = Encoding.ASCII.GetBytes(value);
        int fd = Libc.open(full, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_CLOEXEC);
        if (fd < 0)
            throw SysfsException.WriteFailed(full, path, value, Marshal.GetLastPInvokeError());
        nint n;
        unsafe
        {
            fixed (byte* p = bytes)
                n = Libc.write(fd, p, bytes.Length);
        }
        int err = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        Libc.close(fd);
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

    private static int ErrnoOf(Exception e) => e switch
    {
        UnauthorizedAccessException => SysfsException.EACCES,
        FileNotFoundException or DirectoryNotFoundException => SysfsException.ENOENT,
        _ => e.HResult & 0xffff,
    };

    private static unsafe partial class Libc
    {
        public const int O_RDONLY = 0, O_WRONLY = 1, O_TRUNC = 0x200, O_CLOEXEC = 0x80000;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        public static partial nint read(int fd, byte* buf, nint count);

        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        public static partial nint write(int fd, byte* buf, nint count);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int close(int fd);
    }
}
