using Damon.Core.Sampling;
using System.Runtime.InteropServices;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Reports;

/// <summary>
/// Write reports from userfaultfd write-protect faults, synchronous mode: a write to a protected page
/// stops the writing thread and queues a uffd_msg; the handler thread reads it, reports the page with the
/// writer's thread id (UFFD_FEATURE_THREAD_ID), the CPU it faulted on and is_write, then un-protects the
/// page (UFFDIO_WRITEPROTECT without MODE_WP), which lets the writer go on. Reads never fault, so never
/// report. Each page reports its first write after each <see cref="ProtectAll"/>, like the RFC's
/// page-fault primitive re-arming its sampling pages.
/// </summary>
public sealed unsafe class UffdWpSyncSource : ILinuxAccessSource
{
    private const int MsgBatch = 64;
    private readonly UffdWpRanges _ranges;
    private readonly IAccessReportSink _sink;
    private readonly PagemapReader? _pagemap;
    private readonly int _stopFd;
    private readonly Thread _thread;
    private long _nrReports;
    private volatile Exception? _failure;
    private bool _disposed;

    private UffdWpSyncSource(Userfaultfd uffd, IAccessReportSink sink, UffdCapabilities caps, bool resolvePaddr)
    {
        _ranges = new UffdWpRanges(uffd, UffdWpRanges.Negotiate(caps.Sync, caps.Features, UffdCapabilities.SyncFeatures, UffdApi.UFFD_FEATURE_WP_UNPOPULATED));
        _sink = sink;
        if (resolvePaddr) _pagemap = new PagemapReader(PagemapReader.PathOf(uffd.OwnerPid));
        _stopFd = LibC.Eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (_stopFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ranges.Dispose();
            throw new SyscallException("eventfd", errno, "the handler's stop signal");
        }
        _thread = new Thread(HandlerLoop) { IsBackground = true, Name = "damon-uffd-wp" };
        _thread.Start();
    }

    /// <summary>Watch writes of this process (ranges added with <see cref="Add"/>).</summary>
    /// <param name="resolvePaddr">Also fill paddr from pagemap (PFNs need CAP_SYS_ADMIN; 0 otherwise).</param>
    public static UffdWpSyncSource ForThisProcess(IAccessReportSink sink, bool resolvePaddr = false)
    {
        var caps = UffdCapabilities.Probe();
        if (!caps.Sync.Available) throw new AccessSourceUnavailableException(caps.Sync.ToString());
        return new(Userfaultfd.Open(caps.UserModeOnly), sink, caps, resolvePaddr);
    }

    /// <summary>
    /// Watch writes of a cooperating process that created a userfaultfd (userfaultfd(2), nothing more) and
    /// left it open as fd <paramref name="uffdNumber"/>; Damon takes it with pidfd_getfd(2).
    /// </summary>
    public static UffdWpSyncSource ForCooperatingProcess(int pid, int uffdNumber, IAccessReportSink sink, bool resolvePaddr = false)
    {
        var caps = UffdCapabilities.Probe();
        if (!caps.Sync.Available) throw new AccessSourceUnavailableException(caps.Sync.ToString());
        return new(Userfaultfd.Adopt(pid, uffdNumber), sink, caps, resolvePaddr);
    }

    public int Pid => _ranges.Uffd.OwnerPid;
    public ulong Features => _ranges.Uffd.Features;
    public long NrReports => Interlocked.Read(ref _nrReports);
    /// <summary>What stopped the handler thread, if anything did (the process exited, a range vanished).</summary>
    public Exception? Failure => _failure;

    /// <summary>Watch [start, end) (whole pages): register it for write-protect faults and protect it.</summary>
    public void Add(ulong start, ulong end) => _ranges.Add(start, end);

    /// <summary>Protect every watched page again.</summary>
    public void ProtectAll() => _ranges.ProtectAll();

    /// <summary>Protect again; the reports of this source go to the sink given at creation, as the faults come.</summary>
    public int Rearm(IAccessReportSink sink)
    {
        _ranges.ProtectAll();
        return 0;
    }

    private void HandlerLoop()
    {
        var fds = stackalloc LibC.PollFd[2];
        fds[0] = new LibC.PollFd { Fd = _ranges.Uffd.Fd, Events = LibC.POLLIN };
        fds[1] = new LibC.PollFd { Fd = _stopFd, Events = LibC.POLLIN };
        var msgs = new UffdApi.uffd_msg[MsgBatch];
        try
        {
            while (true)
            {
                if (LibC.Poll(fds, 2, -1) < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == (int)LinuxErrno.EINTR) continue;
                    throw new SyscallException("poll(userfaultfd)", errno, $"pid {Pid}");
                }
                if (fds[1].Revents != 0) return;
                int n = _ranges.Uffd.ReadMessages(msgs);
                for (int i = 0; i < n; i++) Handle(msgs[i]);
            }
        }
        catch (Exception e) when (e is SyscallException or LinuxSourceException)
        {
            _failure = e;
        }
    }

    private void Handle(in UffdApi.uffd_msg msg)
    {
        if (msg.@event != UffdApi.UFFD_EVENT_PAGEFAULT || (msg.pagefault_flags & UffdApi.UFFD_PAGEFAULT_FLAG_WP) == 0)
            return;
        ulong page = msg.pagefault_address & ~(PagemapReader.PageSize - 1);
        int tid = (int)msg.pagefault_ptid;
        // The writer sleeps in the fault until the page is un-protected, so its last CPU is the fault's.
        int cpu = LinuxThreads.LastCpu(Pid, tid);
        _sink.Report(new DamonAccessReport(Paddr(page), page, PagemapReader.PageSize, cpu, tid,
            IsWrite: (msg.pagefault_flags & UffdApi.UFFD_PAGEFAULT_FLAG_WRITE) != 0, Pid));
        Interlocked.Increment(ref _nrReports);
        _ranges.Uffd.WriteProtect(page, PagemapReader.PageSize, protect: false);
    }

    private ulong Paddr(ulong page)
    {
        if (_pagemap is null) return 0;
        Span<PagemapEntry> one = stackalloc PagemapEntry[1];
        _pagemap.Read(page, one);
        return one[0].Pfn << PagemapReader.PageShift;
    }

    /// <summary>Stop the handler, then un-protect (waking any writer still waiting) and unregister.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ulong one = 1;
        LibC.Syscall6(LibC.SYS_write, _stopFd, (long)&one, sizeof(ulong), 0, 0, 0);
        _thread.Join();
        _ranges.Dispose();
        _pagemap?.Dispose();
        LibC.Close(_stopFd);
    }
}
