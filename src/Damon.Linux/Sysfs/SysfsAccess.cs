namespace Damon.Linux.Sysfs;

public enum SysfsOp { Read, Write }

/// <summary>One logged file access (damo's dry-run log): <c>write kdamonds/0/state: on</c>.</summary>
public readonly record struct SysfsAccess(SysfsOp Op, string Path, string Value)
{
    public override string ToString() => $"{(Op == SysfsOp.Read ? "read" : "write")} {Path}: {Value}";
}
