using System.Globalization;

namespace Damon.Linux.Sysfs;

/// <summary>
/// A directory of numbered children read many at a time (a scheme's <c>tried_regions/</c>: one directory per region,
/// a few decimal files in each). Opened for one pass and disposed: the kernel recreates the children at every
/// update_schemes_tried_regions, so nothing is kept across passes.
/// </summary>
public interface ISysfsNumberedDir : IDisposable
{
    /// <summary>The children whose names are decimal numbers, ascending, into <paramref name="into"/> (cleared first).</summary>
    void Indices(List<int> into);

    bool FileExists(int idx, string name);

    /// <summary>The decimal file <c>DIR/idx/name</c>.</summary>
    ulong ReadUInt64(int idx, string name);
}

/// <summary>
/// <see cref="ISysfsNumberedDir"/> over any <see cref="ISysfsTree"/> by full paths, one tree call per file, in the
/// order asked (the fake tree logs them so).
/// </summary>
public sealed class SysfsNumberedDir(ISysfsTree tree, string path) : ISysfsNumberedDir
{
    public void Indices(List<int> into)
    {
        into.Clear();
        foreach (string d in tree.ChildDirs(path))
            if (int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                into.Add(i);
        into.Sort();
    }

    public bool FileExists(int idx, string name) => tree.FileExists(SysfsText.Join(SysfsText.Join(path, idx), name));

    public ulong ReadUInt64(int idx, string name) => tree.ReadUInt64(SysfsText.Join(SysfsText.Join(path, idx), name));

    public void Dispose()
    {
    }
}
