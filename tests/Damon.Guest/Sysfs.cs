namespace Damon.Guest;

/// <summary>Read-only helpers for sysfs/procfs files (values are one line with a trailing newline).</summary>
public static class Sysfs
{
    public static string Read(string path) => File.ReadAllText(path).Trim();

    public static string? ReadIfExists(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>Parses a kernel node or CPU list ("0-1", "0,2-3", "" for none).</summary>
    public static IReadOnlyList<int> ParseList(string list)
    {
        var ids = new List<int>();
        foreach (string part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-');
            if (dash < 0) { ids.Add(int.Parse(part)); continue; }
            int first = int.Parse(part[..dash]), last = int.Parse(part[(dash + 1)..]);
            for (int i = first; i <= last; i++) ids.Add(i);
        }
        return ids;
    }
}
