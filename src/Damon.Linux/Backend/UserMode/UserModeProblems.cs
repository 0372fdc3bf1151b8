namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// Failures a user-mode run survives, counted by kind (e.g. "move_pages EPERM"), so they are
/// reported once per kind instead of once per page; and the targets dropped because their
/// process exited, each reported once when it happens.
/// </summary>
public sealed class UserModeProblems
{
    private readonly Dictionary<string, (ulong Pages, ulong Calls)> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Where one-line notices (a dropped target) go; stderr by default.</summary>
    public TextWriter Notices { get; set; } = Console.Error;

    /// <summary>Count <paramref name="pages"/> pages that failed with <paramref name="kind"/>.</summary>
    public void Count(string kind, ulong pages)
    {
        lock (_lock)
        {
            _counts.TryGetValue(kind, out var c);
            _counts[kind] = (c.Pages + pages, c.Calls + 1);
        }
    }

    public ulong PagesOf(string kind)
    {
        lock (_lock)
            return _counts.TryGetValue(kind, out var c) ? c.Pages : 0;
    }

    public void TargetDropped(int targetIdx, int pid)
    {
        lock (_lock)
            DroppedPids.Add(pid);
        Notices.WriteLine($"damon: target {targetIdx} (pid {pid}) exited; dropped, the other targets keep being served");
    }

    public List<int> DroppedPids { get; } = [];

    /// <summary>One line per kind, in name order: "damon: move_pages EPERM: 12 pages in 3 calls (run continued)".</summary>
    public IReadOnlyList<string> SummaryLines()
    {
        lock (_lock)
            return [.. _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"damon: {kv.Key}: {kv.Value.Pages} pages in {kv.Value.Calls} calls (run continued)")];
    }
}
