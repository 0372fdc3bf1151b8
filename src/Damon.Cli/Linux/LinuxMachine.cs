using Damon.Linux.Backend;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Linux;

/// <summary>
/// The real machine a Linux verb works on: its sysfs root (null: /sys, the machine's own), its
/// procfs root and the mode. Opens DAMON's admin tree with the refusals every verb shares, each one
/// line with exit code 4, checked in this order: not root, the host's own tree outside the
/// test-bed guest (writes only), no DAMON sysfs.
/// </summary>
internal sealed record LinuxMachine(string? ExplicitSysRoot, string ProcRoot, LinuxBackendMode Mode)
{
    public string SysRoot => ExplicitSysRoot ?? LinuxOptions.DefaultSysRoot;

    public string AdminRoot => Path.Combine(SysRoot, "kernel/mm/damon/admin");

    private string DamonDir => Path.Combine(SysRoot, "kernel/mm/damon");

    /// <summary>
    /// The admin tree, writable when <paramref name="write"/>. <paramref name="verb"/> names the
    /// command in the messages.
    /// </summary>
    public ISysfsTree OpenAdmin(string verb, bool write)
    {
        var hooks = LinuxHooks.Active;
        if (ExplicitSysRoot is not null && hooks?.AdminTree?.Invoke(ExplicitSysRoot) is { } fake)
            return RequireDamon(fake);
        // An explicit root is the caller's tree (a test tree, a copy): its owner decides who may write it.
        if (ExplicitSysRoot is null && !(hooks?.IsRoot ?? IsRootUser)())
            throw new UserError($"{verb} needs root: DAMON's sysfs files under {AdminRoot} are root's (run it with sudo)", ExitCodes.ConfigRejected);
        var tree = ExplicitSysRoot is not null
            ? SysfsRoot.Open(AdminRoot)
            : SysfsRoot.Open(null, hooks?.CmdlinePath ?? Path.Combine(ProcRoot, "cmdline"), AdminRoot);
        // Before anything is read: the machine's own tree is not touched for a write outside the guest.
        if (write && tree.ReadOnly)
            throw new UserError($"{verb}: refusing to write the host's DAMON sysfs ({AdminRoot}): a kdamond there belongs to the machine; "
                + "Damon writes it only inside the test-bed guest (/proc/cmdline word 'testbed_guest'); give --sysfs_root DIR to use another tree",
                ExitCodes.ConfigRejected);
        if (!Directory.Exists(DamonDir))
            throw NoDamon(DamonDir);
        return RequireDamon(tree);
    }

    private ISysfsTree RequireDamon(ISysfsTree tree) =>
        tree.DirExists("kdamonds") ? tree : throw NoDamon(AdminRoot + "/kdamonds");

    private static UserError NoDamon(string missing) =>
        new($"this kernel has no DAMON sysfs interface (CONFIG_DAMON_SYSFS): {missing} is missing", ExitCodes.ConfigRejected);

    private static bool IsRootUser() => Environment.IsPrivilegedProcess;

    /// <summary>Whether the process runs as root, as the hooks or the system say.</summary>
    public static bool RunsAsRoot => (LinuxHooks.Active?.IsRoot ?? IsRootUser)();

    public ProcIomemLayout Layout => new(ProcRoot, SysRoot);
}
