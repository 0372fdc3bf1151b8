namespace Damon.Config.Engine;

/// <summary>
/// Cgroup path ↔ memcg id, as the kernel resolves memcg_path to an id when a filter or quota goal
/// is committed. The simulated machine and the Linux backend supply their own.
/// </summary>
public interface IMemcgResolver
{
    /// <summary>The id of the cgroup at <paramref name="path"/>; throws <see cref="ConfigException"/> if there is none.</summary>
    ulong IdOf(string path);

    /// <summary>The path of memcg <paramref name="id"/>, or null when unknown.</summary>
    string? PathOf(ulong id);
}

/// <summary>
/// The default resolver: a path → id table that gives each new path the next id (from 1) on first
/// use, so configs map to the engine and back without a machine.
/// </summary>
public sealed class MemcgPathTable : IMemcgResolver
{
    private readonly Dictionary<string, ulong> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, string> _paths = [];

    public ulong IdOf(string path)
    {
        if (_ids.TryGetValue(path, out var id)) return id;
        id = (ulong)_ids.Count + 1;
        _ids[path] = id;
        _paths[id] = path;
        return id;
    }

    public string? PathOf(ulong id) => _paths.GetValueOrDefault(id);
}
