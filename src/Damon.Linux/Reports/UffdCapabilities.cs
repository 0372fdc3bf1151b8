using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Reports;

/// <summary>
/// Whether this kernel lets Damon watch writes with userfaultfd: the features UFFDIO_API offers, and
/// vm.unprivileged_userfaultfd (read, never written). <see cref="Sync"/> needs write-protect faults
/// with thread ids (UFFD_FEATURE_PAGEFAULT_FLAG_WP, UFFD_FEATURE_THREAD_ID); <see cref="Async"/>
/// needs UFFD_FEATURE_WP_ASYNC, which came with PAGEMAP_SCAN in Linux 6.7.
/// </summary>
public sealed class UffdCapabilities
{
    public ulong Features { get; private init; }
    /// <summary>The fd has to be opened with UFFD_USER_MODE_ONLY (an unprivileged user with the sysctl at 0):
    /// writes the kernel makes on the process's behalf (read(2) into the buffer) then fail with EFAULT.</summary>
    public bool UserModeOnly { get; private init; }
    /// <summary>The sysctl's value, or null where the file is missing (a kernel without CONFIG_USERFAULTFD).</summary>
    public string? UnprivilegedUserfaultfd { get; private init; }
    public LinuxCapability Sync { get; private init; } = null!;
    public LinuxCapability Async { get; private init; } = null!;

    public const ulong SyncFeatures = UffdApi.UFFD_FEATURE_PAGEFAULT_FLAG_WP | UffdApi.UFFD_FEATURE_THREAD_ID;
    public const ulong AsyncFeatures = UffdApi.UFFD_FEATURE_WP_ASYNC;

    public static UffdCapabilities Probe(string procRoot = "/proc")
    {
        string sysctlPath = Path.Combine(procRoot, "sys/vm/unprivileged_userfaultfd");
        string? sysctl = LinuxFiles.ReadTextIfExists(sysctlPath)?.Trim();
        bool userModeOnly = false;
        Userfaultfd? probe = null;
        string? openFailure = null;
        try
        {
            probe = Userfaultfd.Open(userModeOnly: false);
        }
        catch (SyscallException e) when (e.Errno == (int)LinuxErrno.EPERM)
        {
            // Without CAP_SYS_PTRACE and with the sysctl at 0 the kernel lets only user-mode faults be handled.
            try { probe = Userfaultfd.Open(userModeOnly: true); userModeOnly = true; }
            catch (SyscallException e2) { openFailure = Reason(e2, sysctl); }
        }
        catch (SyscallException e) { openFailure = Reason(e, sysctl); }

        ulong features = 0;
        if (probe is not null)
        {
            using (probe)
            {
                try { probe.Handshake(0); features = probe.Features; }
                catch (SyscallException e) { openFailure = e.Message; }
            }
        }
        return new UffdCapabilities
        {
            Features = features,
            UserModeOnly = userModeOnly,
            UnprivilegedUserfaultfd = sysctl,
            Sync = openFailure is not null ? new("uffd_wp_sync", false, openFailure)
                : (features & SyncFeatures) == SyncFeatures ? new("uffd_wp_sync", true, userModeOnly ? "user-mode faults only" : "")
                : new("uffd_wp_sync", false, $"UFFDIO_API offers features 0x{features:x}, without {Missing(features, SyncFeatures)}"),
            Async = openFailure is not null ? new("uffd_wp_async", false, openFailure)
                : (features & AsyncFeatures) == AsyncFeatures ? new("uffd_wp_async", true, userModeOnly ? "user-mode faults only" : "")
                : new("uffd_wp_async", false, $"UFFDIO_API offers features 0x{features:x}, without UFFD_FEATURE_WP_ASYNC (Linux 6.7+)"),
        };
    }

    private static string Missing(ulong offered, ulong wanted)
    {
        var names = new List<string>();
        if ((wanted & ~offered & UffdApi.UFFD_FEATURE_PAGEFAULT_FLAG_WP) != 0) names.Add("UFFD_FEATURE_PAGEFAULT_FLAG_WP (write-protect faults: CONFIG_HAVE_ARCH_USERFAULTFD_WP)");
        if ((wanted & ~offered & UffdApi.UFFD_FEATURE_THREAD_ID) != 0) names.Add("UFFD_FEATURE_THREAD_ID (Linux 4.14+)");
        return string.Join(" and ", names);
    }

    private static string Reason(SyscallException e, string? sysctl) => e.Errno switch
    {
        (int)LinuxErrno.ENOSYS => "userfaultfd(2) is ENOSYS: the kernel is built without CONFIG_USERFAULTFD",
        (int)LinuxErrno.EPERM => $"userfaultfd(2) is EPERM: vm.unprivileged_userfaultfd is {sysctl ?? "missing"} and this process lacks CAP_SYS_PTRACE",
        _ => e.Message,
    };
}
