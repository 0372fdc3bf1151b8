using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Reports;

/// <summary>
/// The ranges a userfaultfd write-protect source watches: registered with UFFDIO_REGISTER_MODE_WP and
/// protected, un-protected and unregistered at dispose (so no writer is left stopped). Both sources,
/// synchronous and asynchronous, hold one.
/// </summary>
internal sealed class UffdWpRanges : IDisposable
{
    private readonly List<(ulong Start, ulong Len)> _ranges = [];
    private readonly Lock _lock = new();

    public UffdWpRanges(Userfaultfd uffd, ulong features)
    {
        Uffd = uffd;
        try { uffd.Handshake(features); }
        catch { uffd.Dispose(); throw; }
    }

    public Userfaultfd Uffd { get; }

    public IReadOnlyList<(ulong Start, ulong Len)> Ranges
    {
        get { lock (_lock) return [.. _ranges]; }
    }

    /// <summary>Watch [start, end), widened to whole pages: register it and protect every page in it.</summary>
    public void Add(ulong start, ulong end)
    {
        ulong s = start & ~(PagemapReader.PageSize - 1);
        ulong e = (end + PagemapReader.PageSize - 1) & ~(PagemapReader.PageSize - 1);
        if (e <= s) throw new ArgumentException($"empty range 0x{start:x}-0x{end:x}", nameof(end));
        Uffd.Register(s, e - s, UffdApi.UFFDIO_REGISTER_MODE_WP);
        Uffd.WriteProtect(s, e - s, protect: true);
        lock (_lock) _ranges.Add((s, e - s));
    }

    /// <summary>Protect every watched page again, so the next write to each is seen.</summary>
    public void ProtectAll()
    {
        foreach (var (s, len) in Ranges) Uffd.WriteProtect(s, len, protect: true);
    }

    /// <summary>The features a source asks for, among what this kernel offers; a one-line refusal when it lacks the needed ones.</summary>
    public static ulong Negotiate(LinuxCapability needed, ulong offered, ulong required, ulong optional)
    {
        if (!needed.Available) throw new AccessSourceUnavailableException(needed.ToString());
        return required | (offered & optional);
    }

    public void Dispose()
    {
        foreach (var (s, len) in Ranges)
        {
            try
            {
                Uffd.WriteProtect(s, len, protect: false);
                Uffd.Unregister(s, len);
            }
            catch (SyscallException) { /* the range was unmapped or the process exited: nothing left to release */ }
        }
        Uffd.Dispose();
    }
}
