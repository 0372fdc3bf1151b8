using Damon.Config;
using Damon.Config.Engine;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Metrics;

/// <summary>
/// memcg path ↔ id on a real machine. The id is the inode number of the cgroup's directory: what
/// /proc/kpagecgroup reports for a page, so per-page memcg filters and the paths in configs meet.
/// (The kernel's own DAMON takes memcg_path and resolves it inside; the id never leaves it.)
/// </summary>
public sealed class CgroupMemcgResolver(CgroupMemoryHierarchy hierarchy) : IMemcgResolver
{
    private Dictionary<ulong, string>? _paths;

    public CgroupMemoryHierarchy Hierarchy { get; } = hierarchy;

    public ulong IdOf(string path)
    {
        if (Hierarchy.Version == CgroupMemoryVersion.None)
            throw new ConfigException($"memcg_path {path}: {Hierarchy.Detail}");
        string dir = Hierarchy.DirOf(path);
        if (!Directory.Exists(dir))
            throw new ConfigException($"memcg_path {path}: no such cgroup ({dir} does not exist)");
        return LibCStat.Inode(dir, out int errno)
            ?? throw new ConfigException($"memcg_path {path}: stat {dir}: {LinuxErrnos.Describe(errno)}");
    }

    /// <summary>Found by walking the hierarchy once; cgroups made later are found by a new walk.</summary>
    public string? PathOf(ulong id)
    {
        if (Hierarchy.Version == CgroupMemoryVersion.None) return null;
        if (_paths is null || !_paths.ContainsKey(id)) _paths = Walk();
        return _paths.GetValueOrDefault(id);
    }

    private Dictionary<ulong, string> Walk()
    {
        var paths = new Dictionary<ulong, string>();
        var stack = new Stack<string>();
        stack.Push(Hierarchy.Root);
        while (stack.Count > 0)
        {
            string dir = stack.Pop();
            if (LibCStat.Inode(dir, out _) is ulong ino)
                paths.TryAdd(ino, "/" + Path.GetRelativePath(Hierarchy.Root, dir).Replace('\\', '/').TrimStart('.', '/'));
            try
            {
                foreach (var sub in Directory.EnumerateDirectories(dir)) stack.Push(sub);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return paths;
    }
}
