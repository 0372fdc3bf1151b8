using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.InteropServices;
using System.Text;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Sysfs;

/// <summary>
/// A numbered directory of the real tree (tried_regions/) held open for one pass: each file is opened with openat(2)
/// relative to the directory's descriptor by a short path built on the stack ("12/nr_accesses"), so a region costs
/// openat+read+close per file, with no path walk from the admin root and no string. The listing reads the names with
/// one directory enumeration and parses them in place.
/// </summary>
internal sealed unsafe class RealSysfsNumberedDir : ISysfsNumberedDir
{
    private const int MaxRelPathBytes = 64;
    private readonly RealSysfsTree _tree;
    private readonly string _path;
    private int _fd;

    public RealSysfsNumberedDir(RealSysfsTree tree, string path)
    {
        _tree = tree;
        _path = path;
        _fd = LibC.Open(tree.Full(path), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (_fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            // As ChildDirs: a directory that is not there has no children.
            if (errno != SysfsException.ENOENT)
                throw SysfsException.ReadFailed(tree.Full(path), path, errno);
        }
    }

    public void Indices(List<int> into)
    {
        into.Clear();
        if (_fd < 0)
            return;
        var names = new FileSystemEnumerable<int>(_tree.Full(_path), static (ref FileSystemEntry e) => IndexOf(e.FileName),
            new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry e) => e.IsDirectory && IndexOf(e.FileName) >= 0,
        };
        into.AddRange(names);
        into.Sort();
    }

    private static int IndexOf(ReadOnlySpan<char> name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1;

    public bool FileExists(int idx, string name)
    {
        if (_fd < 0)
            return false;
        byte* p = stackalloc byte[MaxRelPathBytes];
        RelPath(idx, name, new Span<byte>(p, MaxRelPathBytes));
        return LibC.FAccessAt(_fd, p, LibC.F_OK, 0) == 0;
    }

    public ulong ReadUInt64(int idx, string name)
    {
        byte* p = stackalloc byte[MaxRelPathBytes];
        RelPath(idx, name, new Span<byte>(p, MaxRelPathBytes));
        int fd = _fd < 0 ? -1 : LibC.OpenAt(_fd, p, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            string rel = Rel(idx, name);
            throw SysfsException.ReadFailed(_tree.Full(rel), rel, _fd < 0 ? SysfsException.ENOENT : Marshal.GetLastPInvokeError());
        }
        return RealSysfsTree.TryReadDecimal(fd, out ulong v, out int errno, out string? text) ? v : _tree.NotDecimal(Rel(idx, name), errno, text);
    }

    private string Rel(int idx, string name) => SysfsText.Join(SysfsText.Join(_path, idx), name);

    /// <summary>"idx/name" NUL-terminated into <paramref name="dst"/>.</summary>
    private static void RelPath(int idx, string name, Span<byte> dst)
    {
        if (!idx.TryFormat(dst, out int n, default, CultureInfo.InvariantCulture) || n + 2 + name.Length > dst.Length)
            throw new ArgumentException($"sysfs path {idx}/{name} is longer than {MaxRelPathBytes - 1} bytes");
        dst[n++] = (byte)'/';
        n += Encoding.ASCII.GetBytes(name, dst[n..]);
        dst[n] = 0;
    }

    public void Dispose()
    {
        if (_fd >= 0)
            LibC.Close(_fd);
        _fd = -1;
    }
}
