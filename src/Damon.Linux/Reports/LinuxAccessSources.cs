using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Reports;

/// <summary>The live Linux sources by name, as a command-line option or a config key names them.</summary>
public enum LinuxAccessSourceKind
{
    /// <summary>userfaultfd write-protect faults, the writer stopped until reported (<c>uffd_wp_sync</c>).</summary>
    UffdWpSync,
    /// <summary>userfaultfd WP_ASYNC read with PAGEMAP_SCAN (<c>uffd_wp_async</c>).</summary>
    UffdWpAsync,
    /// <summary>clear_refs 4 and pagemap bit 55 (<c>soft_dirty</c>).</summary>
    SoftDirty,
}

/// <summary>Opening a live source for a process and pointing it at the process's writable memory.</summary>
public static class LinuxAccessSources
{
    public static string Name(LinuxAccessSourceKind kind) => kind switch
    {
        LinuxAccessSourceKind.UffdWpSync => "uffd_wp_sync",
        LinuxAccessSourceKind.UffdWpAsync => "uffd_wp_async",
        _ => "soft_dirty",
    };

    public static bool TryParse(string name, out LinuxAccessSourceKind kind)
    {
        foreach (var k in Enum.GetValues<LinuxAccessSourceKind>())
            if (Name(k) == name) { kind = k; return true; }
        kind = default;
        return false;
    }

    /// <summary>What this kernel and process offer, one line per source (<c>uffd_wp_async: available</c>, or why not).</summary>
    public static IReadOnlyList<LinuxCapability> Probe()
    {
        var uffd = UffdCapabilities.Probe();
        return [uffd.Sync, uffd.Async, SoftDirtySource.Detect()];
    }

    /// <summary>
    /// Open <paramref name="kind"/> on this process (the userfaultfd sources watch the process that made
    /// the fd: for another one use <c>ForCooperatingProcess</c>) or, for soft-dirty, on this process or a
    /// child it started. <paramref name="sink"/> receives the synchronous source's reports; the others
    /// report to the sink given to <see cref="ILinuxAccessSource.Rearm"/>.
    /// </summary>
    /// <exception cref="AccessSourceUnavailableException">The kernel or the process does not allow it; one line.</exception>
    public static ILinuxAccessSource Open(LinuxAccessSourceKind kind, int pid, IAccessReportSink sink)
    {
        if (kind != LinuxAccessSourceKind.SoftDirty && pid != Environment.ProcessId)
            throw new AccessSourceUnavailableException(
                $"{Name(kind)}: pid {pid} is not this process; a userfaultfd watches the process that created it (UffdWp*Source.ForCooperatingProcess takes one from a cooperating process)");
        return kind switch
        {
            LinuxAccessSourceKind.UffdWpSync => UffdWpSyncSource.ForThisProcess(sink),
            LinuxAccessSourceKind.UffdWpAsync => UffdWpAsyncSource.ForThisProcess(),
            _ => OpenSoftDirty(pid),
        };
    }

    private static SoftDirtySource OpenSoftDirty(int pid)
    {
        var sd = SoftDirtySource.Detect();
        if (!sd.Available) throw new AccessSourceUnavailableException(sd.ToString());
        return new SoftDirtySource(pid);
    }

    /// <summary>
    /// Watch every private writable anonymous VMA of the source's process (heap, stacks, anonymous mmaps):
    /// what a write-report source can protect. A VMA the kernel refuses (EINVAL: VM_PFNMAP, hugetlb
    /// without WP support; EFAULT/ENOMEM: it vanished meanwhile) is left out and counted. Returns the
    /// VMAs added and the ones left out. Refused for the synchronous source on Damon's own process.
    /// </summary>
    public static (int Added, int Refused) AddWritableAnonVmas(ILinuxAccessSource source, string procRoot = "/proc")
    {
        // The runtime writes its own heap and stacks; stopping those writers until a managed handler
        // thread runs would stop the handler too.
        if (source is UffdWpSyncSource && source.Pid == Environment.ProcessId)
            throw new AccessSourceUnavailableException("uffd_wp_sync: every writable VMA of Damon's own process would stop the .NET runtime's own writes; add chosen ranges instead");
        int added = 0, refused = 0;
        foreach (var vma in ProcMaps.Read(Path.Combine(procRoot, source.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "maps")))
        {
            if (!vma.Writable || vma.Shared || !vma.IsAnon || vma.IsGateArea || vma.Path.StartsWith("[v", StringComparison.Ordinal))
                continue;
            try { source.Add(vma.Start, vma.End); added++; }
            catch (SyscallException e) when (e.Errno is (int)LinuxErrno.EINVAL or (int)LinuxErrno.EFAULT or (int)LinuxErrno.ENOMEM or (int)LinuxErrno.ENOENT)
            {
                refused++;
            }
        }
        return (added, refused);
    }
}
