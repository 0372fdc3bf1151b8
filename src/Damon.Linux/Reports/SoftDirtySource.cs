using Damon.Core.Sampling;
using System.Globalization;
using Damon.Core.Monitoring;
using Damon.Linux.Procfs;

namespace Damon.Linux.Reports;

/// <summary>
/// Write reports from soft-dirty bits (Documentation/admin-guide/mm/soft-dirty.rst): writing "4" to
/// /proc/PID/clear_refs clears every soft-dirty bit of the process (and write-protects its ptes); a
/// later write sets pagemap bit 55 again. <see cref="Scan"/> reports each present soft-dirty page of
/// the watched ranges as a write, then clears the bits. The bits are per process, not per thread:
/// cpu and tid are -1. Needs CONFIG_MEM_SOFT_DIRTY (Debian's 6.12 has it, this host's 6.18 not).
/// A VMA created, or merged into, after a clear is soft-dirty as a whole (VM_SOFTDIRTY), so all its
/// present pages report until the next clear: a new thread's stack can do that to a neighbour.
/// </summary>
public sealed class SoftDirtySource : ILinuxAccessSource
{
    private readonly string _clearRefsPath;
    private readonly PagemapReader _pagemap;
    private readonly List<AddrRange> _ranges = [];

    /// <summary>
    /// Watch <paramref name="pid"/>, which must be this process or a child of it: clear_refs changes
    /// the process's page tables, so Damon does it only to processes it owns. Clears the bits once, so
    /// the first scan reports writes made after this.
    /// </summary>
    public SoftDirtySource(int pid, string procRoot = "/proc")
    {
        string dir = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        if (pid != Environment.ProcessId && ParentOf(dir) != Environment.ProcessId)
            throw new AccessSourceUnavailableException($"soft_dirty: pid {pid} is neither this process nor a child it started; clear_refs is written only there");
        Pid = pid;
        _clearRefsPath = Path.Combine(dir, "clear_refs");
        _pagemap = new PagemapReader(Path.Combine(dir, "pagemap"));
        Clear();
    }

    /// <summary>Whether this kernel tracks soft-dirty bits (probed on this process's own page).</summary>
    public static LinuxCapability Detect() => LinuxCapabilities.Probe().SoftDirty;

    public int Pid { get; }

    /// <summary>Watch [start, end) (whole pages).</summary>
    public void Add(ulong start, ulong end)
    {
        ulong s = start & ~(PagemapReader.PageSize - 1);
        ulong e = (end + PagemapReader.PageSize - 1) & ~(PagemapReader.PageSize - 1);
        _ranges.Add(new AddrRange(s, e));
    }

    /// <summary>Report every present page written since the last clear, then clear; returns the number reported.</summary>
    public int Scan(IAccessReportSink sink)
    {
        int reported = 0;
        foreach (var r in _ranges)
        {
            var entries = _pagemap.ReadRange(r.Start, r.End);
            for (int i = 0; i < entries.Length; i++)
            {
                if (!entries[i].Present || !entries[i].SoftDirty) continue;
                ulong page = r.Start + (ulong)i * PagemapReader.PageSize;
                sink.Report(new DamonAccessReport(entries[i].Pfn << PagemapReader.PageShift, page, PagemapReader.PageSize,
                    IAccessReportSink.Unknown, IAccessReportSink.Unknown, IsWrite: true, Pid));
                reported++;
            }
        }
        Clear();
        return reported;
    }

    /// <summary>clear_refs "4": clear the soft-dirty bits of the whole process.</summary>
    public void Clear()
    {
        try { File.WriteAllText(_clearRefsPath, "4"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LinuxSourceException(_clearRefsPath, "cannot be written: " + e.Message);
        }
    }

    private static int ParentOf(string procDir)
    {
        string status;
        try { status = LinuxFiles.ReadText(Path.Combine(procDir, "status")); }
        catch (LinuxSourceException) { return -1; }
        foreach (var line in status.Split('\n'))
            if (line.StartsWith("PPid:", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(5).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int ppid))
                return ppid;
        return -1;
    }

    /// <summary>The pump's once-per-sample call: <see cref="Scan"/>.</summary>
    public int Rearm(IAccessReportSink sink) => Scan(sink);

    public void Dispose() => _pagemap.Dispose();
}
