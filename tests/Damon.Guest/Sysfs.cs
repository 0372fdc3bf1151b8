namespace Damon.Guest;

/// <summary>Read-only helpers for sysfs/procfs files (values are one line with a trailing newline).</summary>
public static class Sysfs
{
    /// <summary>
    /// The file's value. DAMON's sysfs show functions take damon_sysfs_lock with mutex_trylock and answer -EBUSY
    /// while another writer holds it (a running `damon start --mode user` updates its kdamond every aggregation), so
    /// a read that meets the lock is tried again, up to about a second.
    /// </summary>
    public static string Read(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return File.ReadAllText(path).Trim();
            }
            catch (IOException e) when ((e.HResult == EBUSY || e.Message.StartsWith("Device or resource busy", StringComparison.Ordinal)) && attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }

    private const int EBUSY = 16;

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
