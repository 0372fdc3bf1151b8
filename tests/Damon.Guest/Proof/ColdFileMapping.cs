using System.IO.MemoryMappedFiles;
using Damon.Linux.Procfs;

namespace Damon.Guest.Proof;

/// <summary>
/// Clean page-cache pages mapped by this process and never touched again after the first read: what DAMON_RECLAIM's
/// pageout can really reclaim in the test-bed guest, which has no swap (anonymous pages cannot leave memory there;
/// process_madvise(MADV_PAGEOUT) isolates them and puts them back). The file is written and fsynced on the writable 9p
/// share (cache=loose keeps its pages in the page cache; /tmp is tmpfs, whose pages are shmem and need swap too), so
/// its pages are clean and reclaim drops them without writeback. Residency is read from this process's own pagemap:
/// a paged-out page is no longer present in the mapping.
/// </summary>
public sealed unsafe class ColdFileMapping : IDisposable
{
    private const ulong PageSize = PagemapReader.PageSize;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _ptr;

    private ColdFileMapping(string path, ulong bytes)
    {
        Path = path;
        Bytes = bytes;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, (long)bytes, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _ptr = p + _view.PointerOffset;
        // One read of every page: each is mapped (present) once, then left cold.
        ulong sum = 0;
        for (ulong off = 0; off < bytes; off += PageSize)
            sum += _ptr[off];
        GC.KeepAlive(sum);
    }

    public string Path { get; }
    public ulong Bytes { get; }
    public ulong Start => (ulong)_ptr;
    public ulong NrPages => Bytes / PageSize;

    /// <summary>Writes <paramref name="mib"/> MiB to <paramref name="path"/>, fsyncs it and maps every page once.</summary>
    public static ColdFileMapping Create(string path, int mib)
    {
        var chunk = new byte[1 << 20];
        new Random(16).NextBytes(chunk);
        using (var f = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            for (int i = 0; i < mib; i++) f.Write(chunk);
            f.Flush(flushToDisk: true);
        }
        return new ColdFileMapping(path, (ulong)mib << 20);
    }

    /// <summary>Pages of the mapping present in memory now.</summary>
    public ulong PresentPages()
    {
        using var pagemap = new PagemapReader(PagemapReader.PathOf(Environment.ProcessId));
        return (ulong)pagemap.ReadRange(Start, Start + Bytes).Count(e => e.Present);
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        try { File.Delete(Path); } catch (IOException) { /* the scratch share is removed with the run */ }
    }
}
