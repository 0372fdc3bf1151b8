namespace Damon.Linux.Syscalls;

/// <summary>
/// What a <see cref="MovePages.Move"/> did, in pages: moved to the target node, already there
/// (not moved, as DAMOS does not count them as applied), refused by the kernel per errno, and
/// not moved without a per-page errno (move_pages returned the number it could not migrate).
/// </summary>
public sealed class MovePagesResult
{
    public const ulong PageSize = 4096;
    private readonly SortedDictionary<int, ulong> _failed = [];

    public ulong Moved { get; internal set; }
    public ulong AlreadyOnTarget { get; internal set; }
    public ulong NotMigrated { get; internal set; }

    /// <summary>Failed pages per errno (ENOENT: not present, EFAULT: not mapped, EBUSY, EACCES, ENODEV, ...).</summary>
    public IReadOnlyDictionary<int, ulong> FailedByErrno => _failed;

    public ulong Failed => _failed.Values.Aggregate(0UL, (a, b) => a + b) + NotMigrated;

    public ulong MovedBytes => Moved * PageSize;

    internal void Fail(int errno, ulong pages = 1)
    {
        if (pages != 0) _failed[errno] = _failed.GetValueOrDefault(errno) + pages;
    }

    public ulong FailedWith(LinuxErrno errno) => _failed.GetValueOrDefault((int)errno);

    public override string ToString()
    {
        var failed = string.Join(", ", _failed.Select(kv => $"{LinuxErrnos.Name(kv.Key)} {kv.Value}"));
        return $"moved {Moved}, already on target {AlreadyOnTarget}, not migrated {NotMigrated}, failed [{failed}] (pages)";
    }
}
