using Damon.Linux.Sysfs;

namespace Damon.Cli.Linux;

/// <summary>
/// What the Linux verbs take from the machine they run on, replaceable for one async flow by the
/// CLI tests: nothing on the development host may write its DAMON sysfs, and the tests run as
/// root, so the tests give an in-memory kernel tree (<see cref="FakeSysfsTree"/>, which answers
/// nr_* writes and state commands as the kernel does) for a --sysfs_root, and a non-root user.
/// Unset, everything is the real machine's.
/// </summary>
public sealed class LinuxHooks
{
    private static readonly AsyncLocal<LinuxHooks?> Current = new();

    /// <summary>The DAMON admin tree to use for a sysfs root (as given), or null for the real files.</summary>
    public Func<string, ISysfsTree?>? AdminTree { get; init; }

    /// <summary>Whether the process runs as root (euid 0).</summary>
    public Func<bool>? IsRoot { get; init; }

    /// <summary>The kernel command line file the guest check reads.</summary>
    public string? CmdlinePath { get; init; }

    /// <summary>Installs <paramref name="hooks"/> for the calling async flow until disposed.</summary>
    public static IDisposable Use(LinuxHooks hooks)
    {
        var previous = Current.Value;
        Current.Value = hooks;
        return new Restore(previous);
    }

    internal static LinuxHooks? Active => Current.Value;

    private sealed class Restore(LinuxHooks? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
