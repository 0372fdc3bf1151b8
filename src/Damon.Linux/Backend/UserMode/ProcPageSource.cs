using System.Globalization;
using Damon.Linux.Procfs;

namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// Present pages from /proc/PID/maps and /proc/PID/pagemap. The processes are those named, or
/// every process but Damon's own (kernel threads have no mappings and add nothing). PFNs read
/// as 0 without CAP_SYS_ADMIN, so this needs root. VMAs Damon must not act on are skipped:
/// PROT_NONE reservations (guard pages, reserved heaps: no page to move), hugetlb mappings
/// (their pages are reserved per size and node; move_pages would move a whole huge page the
/// region may cover only partly) and the [vsyscall] gate area.
/// </summary>
public sealed class ProcPageSource(IReadOnlyList<int>? pids = null, string procRoot = "/proc") : IProcessPageSource
{
    public IReadOnlyList<int>? NamedPids { get; } = pids;

    public IEnumerable<int> Pids()
    {
        if (NamedPids is not null)
            return NamedPids;
        int self = Environment.ProcessId;
        var all = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories(procRoot))
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid != self)
                all.Add(pid);
        all.Sort();
        return all;
    }

    /// <summary>Whether the VMA's pages may be handed to move_pages/process_madvise.</summary>
    public static bool Actable(Vma v) =>
        !v.IsGateArea && (v.Readable || v.Writable || v.Executable)
        && !v.Path.StartsWith("/dev/hugepages", StringComparison.Ordinal)
        && !v.Path.StartsWith("/anon_hugepage", StringComparison.Ordinal)
        && !v.Path.Contains("hugetlb", StringComparison.Ordinal);

    public void AddPresentPages(int pid, List<MappedPage> into)
    {
        try
        {
            var vmas = ProcMaps.Read(ProcMaps.PathOf(pid, procRoot));
            using var pagemap = new PagemapReader(PagemapReader.PathOf(pid, procRoot));
            foreach (var v in vmas)
            {
                if (!Actable(v))
                    continue;
                var entries = pagemap.ReadRange(v.Start, v.End);
                for (int i = 0; i < entries.Length; i++)
                {
                    var e = entries[i];
                    if (e.Present && e.Pfn != 0)
                        into.Add(new MappedPage(e.Pfn, pid, v.Start + ((ulong)i << PhysPageIndex.PageShift), e.Anon));
                }
            }
        }
        catch (Exception e) when (e is LinuxSourceException or IOException or UnauthorizedAccessException)
        {
            // The process exited, or is not ours to read: it has nothing Damon may act on.
        }
    }
}
