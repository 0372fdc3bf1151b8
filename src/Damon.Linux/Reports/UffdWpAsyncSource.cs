using Damon.Core.Sampling;
using System.Runtime.InteropServices;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;
using Microsoft.Win32.SafeHandles;
using static Damon.Linux.Reports.PagemapScanApi;

namespace Damon.Linux.Reports;

/// <summary>
/// Write reports from userfaultfd write-protection in asynchronous mode (UFFD_FEATURE_WP_ASYNC): a write
/// to a protected page is resolved by the kernel itself (the writer never stops, no message is queued)
/// and leaves the page PAGE_IS_WRITTEN. <see cref="Scan"/> asks PAGEMAP_SCAN for the written pages with
/// PM_SCAN_WP_MATCHING, which protects them again in the same walk, and reports each as a write. The
/// kernel does not say who wrote: cpu and tid are -1.
/// </summary>
public sealed unsafe class UffdWpAsyncSource : ILinuxAccessSource
{
    private const int VecLen = 512;
    private readonly UffdWpRanges _ranges;
    private readonly SafeFileHandle _pagemap;
    private readonly string _pagemapPath;
    private readonly page_region[] _vec = new page_region[VecLen];

    private UffdWpAsyncSource(Userfaultfd uffd, UffdCapabilities caps)
    {
        _ranges = new UffdWpRanges(uffd, UffdWpRanges.Negotiate(caps.Async, caps.Features, UffdCapabilities.AsyncFeatures, UffdApi.UFFD_FEATURE_WP_UNPOPULATED));
        _pagemapPath = PagemapReader.PathOf(uffd.OwnerPid);
        try { _pagemap = LinuxFiles.OpenRead(_pagemapPath); }
        catch { _ranges.Dispose(); throw; }
    }

    public static UffdWpAsyncSource ForThisProcess()
    {
        var caps = UffdCapabilities.Probe();
        if (!caps.Async.Available) throw new AccessSourceUnavailableException(caps.Async.ToString());
        return new(Userfaultfd.Open(caps.UserModeOnly), caps);
    }

    /// <summary>As <see cref="UffdWpSyncSource.ForCooperatingProcess"/>: the process created the userfaultfd, Damon takes it.</summary>
    public static UffdWpAsyncSource ForCooperatingProcess(int pid, int uffdNumber)
    {
        var caps = UffdCapabilities.Probe();
        if (!caps.Async.Available) throw new AccessSourceUnavailableException(caps.Async.ToString());
        return new(Userfaultfd.Adopt(pid, uffdNumber), caps);
    }

    public int Pid => _ranges.Uffd.OwnerPid;
    public ulong Features => _ranges.Uffd.Features;

    /// <summary>Watch [start, end) (whole pages): register it and protect it; the next write to each page marks it.</summary>
    public void Add(ulong start, ulong end) => _ranges.Add(start, end);

    /// <summary>
    /// Report every page written since it was last protected (one report per 4 KiB page, is_write true)
    /// and protect those pages again; returns the number reported.
    /// </summary>
    public int Scan(IAccessReportSink sink)
    {
        int reported = 0;
        foreach (var (start, len) in _ranges.Ranges)
        {
            ulong at = start, end = start + len;
            while (at < end)
            {
                int n;
                ulong walkEnd;
                fixed (page_region* vec = _vec)
                {
                    var arg = new pm_scan_arg
                    {
                        size = (ulong)sizeof(pm_scan_arg),
                        // No PM_SCAN_CHECK_WPASYNC: a live process unmaps and maps memory over watched ranges (the
                        // .NET GC does, seen as EPERM mid-test), and the new VMA is not registered. Without the flag
                        // pagemap_scan_test_walk skips such a VMA (returns 1) instead of failing the whole scan; it is
                        // unwatched until added again.
                        flags = PM_SCAN_WP_MATCHING,
                        start = at,
                        end = end,
                        vec = (ulong)vec,
                        vec_len = VecLen,
                        category_mask = PAGE_IS_WRITTEN,
                        return_mask = PAGE_IS_WRITTEN,
                    };
                    n = LibC.Ioctl((int)_pagemap.DangerousGetHandle(), PAGEMAP_SCAN, &arg);
                    if (n < 0)
                        throw new SyscallException("ioctl(PAGEMAP_SCAN)", Marshal.GetLastPInvokeError(), $"{_pagemapPath} 0x{at:x}-0x{end:x}");
                    walkEnd = arg.walk_end;
                }
                for (int i = 0; i < n; i++)
                    for (ulong page = _vec[i].start; page < _vec[i].end; page += PagemapReader.PageSize)
                    {
                        sink.Report(new DamonAccessReport(0, page, PagemapReader.PageSize, IAccessReportSink.Unknown, IAccessReportSink.Unknown, IsWrite: true, Pid));
                        reported++;
                    }
                // The walk stops early when vec fills; walk_end says where to go on.
                if (walkEnd <= at) break;
                at = walkEnd;
            }
        }
        return reported;
    }

    /// <summary>The pump's once-per-sample call: <see cref="Scan"/>.</summary>
    public int Rearm(IAccessReportSink sink) => Scan(sink);

    public void Dispose()
    {
        _ranges.Dispose();
        _pagemap.Dispose();
    }
}
