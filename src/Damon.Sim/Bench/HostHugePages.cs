using System.Globalization;
using System.Runtime.InteropServices;

namespace Damon.Sim.Bench;

/// <summary>
/// Asks the host kernel to back this process's anonymous memory with transparent huge pages
/// (madvise MADV_COLLAPSE on every private anonymous mapping, the GC's heap included). MADV_HUGEPAGE
/// before the state is built does not do it: the GC has already faulted the heap's 2 MiB blocks
/// in 4 KiB pages, so later first touches stay small. The simulator's per-page state
/// at large footprints (page-table leaves, frame flags: hundreds of MB) is read at random; with
/// 4 KiB host pages nearly every such read also misses the host's TLB, and the few page walkers
/// then bound how many misses overlap. Host memory layout only: no simulated state changes.
/// MADV_COLLAPSE is independent of the host's THP sysfs mode (madvise(2)); before Linux 6.1 it fails and this does nothing.
/// </summary>
public static partial class HostHugePages
{
    private const int MadvCollapse = 25;

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint addr, nuint length, int advice);

    /// <summary>
    /// MADV_COLLAPSE (Linux 6.1+) on every private anonymous mapping of at least 2 MiB: the pages
    /// already there are copied into huge pages now, as khugepaged would over minutes. For state
    /// built before the call (a populated machine); returns the bytes of mappings it succeeded on.
    /// </summary>
    public static ulong CollapseAnonymousMappings() => ForEachAnonymousMapping(MadvCollapse);

    private static ulong ForEachAnonymousMapping(int advice)
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        ulong advised = 0;
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            // "start-end perms offset dev inode [path]": anonymous mappings have inode 0 and no path.
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 5 || f[1].Length < 4 || f[1][3] != 'p' || f[4] != "0")
                continue;
            int dash = f[0].IndexOf('-');
            ulong start = ulong.Parse(f[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(f[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (end - start < (2UL << 20))
                continue;
            try
            {
                if (Madvise((nint)start, (nuint)(end - start), advice) == 0)
                    advised += end - start;
            }
            catch (DllNotFoundException) { return advised; }
            catch (EntryPointNotFoundException) { return advised; }
        }
        return advised;
    }

    /// <summary>This process's anonymous memory backed by huge pages (AnonHugePages of smaps_rollup), in bytes; 0 if unknown.</summary>
    public static ulong AnonHugeBytes()
    {
        const string path = "/proc/self/smaps_rollup";
        if (!File.Exists(path))
            return 0;
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return ulong.Parse(f[1], CultureInfo.InvariantCulture) << 10;
        }
        return 0;
    }
}
