namespace Damon.Linux.Sysfs;

/// <summary>
/// Where the DAMON admin tree is, and whether Damon may write it. An explicit root is the caller's
/// (a test tree, a guest's tree shared over 9p) and is used as is. The default
/// <c>/sys/kernel/mm/damon/admin</c> belongs to the machine: it may be written only inside the
/// test-bed guest, which marks itself with the word <c>testbed_guest</c> on its kernel command line.
/// Elsewhere it is opened read-only (status works; every write, state commands included, is refused).
/// </summary>
public static class SysfsRoot
{
    public const string DefaultAdminRoot = "/sys/kernel/mm/damon/admin";
    public const string GuestMarker = "testbed_guest";

    public const string Rule =
        "Damon writes the default DAMON sysfs root only inside the test-bed guest (/proc/cmdline word 'testbed_guest'); give the sysfs root explicitly to use another tree";

    /// <summary>
    /// <paramref name="explicitRoot"/> given: that tree, writable. Otherwise the default root,
    /// writable only when <paramref name="cmdlinePath"/> holds the guest marker.
    /// </summary>
    public static RealSysfsTree Open(string? explicitRoot, string cmdlinePath = "/proc/cmdline", string defaultRoot = DefaultAdminRoot)
    {
        if (explicitRoot is not null)
            return new RealSysfsTree(explicitRoot, readOnly: false, refusal: null);
        return IsGuest(cmdlinePath)
            ? new RealSysfsTree(defaultRoot, readOnly: false, refusal: null)
            : new RealSysfsTree(defaultRoot, readOnly: true, refusal: Rule);
    }

    /// <summary>The kernel command line holds the guest marker as a word of its own.</summary>
    public static bool IsGuest(string cmdlinePath)
    {
        string text;
        try { text = File.ReadAllText(cmdlinePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains(GuestMarker);
    }
}
