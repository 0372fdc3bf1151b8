namespace Damon.Linux.Sysfs;

/// <summary>
/// The DAMON admin tree (<c>/sys/kernel/mm/damon/admin</c>) as files: every path is relative to the
/// admin root and '/'-separated ("kdamonds/0/state"). One value per file, as the kernel has it.
/// </summary>
public interface ISysfsTree
{
    /// <summary>The file's content without the trailing newline; <see cref="SysfsException"/> on an error.</summary>
    string Read(string path);

    /// <summary>One write(2) of <paramref name="value"/>; <see cref="SysfsException"/> carrying the kernel's errno on failure.</summary>
    void Write(string path, string value);

    bool FileExists(string path);

    bool DirExists(string path);

    /// <summary>Names of the child directories (the numbered ones for a list level).</summary>
    IReadOnlyList<string> ChildDirs(string path);

    /// <summary>A decimal file; the real tree parses it without allocating a string.</summary>
    ulong ReadUInt64(string path) => SysfsText.ParseUInt64(path, Read(path));

    /// <summary>
    /// The numbered children of <paramref name="path"/> for one pass of many reads; the real tree holds one descriptor
    /// on the directory and opens each file relative to it. A missing directory has no children.
    /// </summary>
    ISysfsNumberedDir OpenNumberedDir(string path) => new SysfsNumberedDir(this, path);
}
