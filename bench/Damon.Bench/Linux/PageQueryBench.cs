using BenchmarkDotNet.Attributes;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Bench.Linux;

/// <summary>
/// What user mode pays to find and place pages, on 64 MiB (16,384 pages) of this process's own
/// touched anonymous memory: a move_pages(2) node query of every page (in the default batches)
/// and a /proc/self/pagemap read of the range. Per page = mean / 16,384. Nothing is moved.
/// </summary>
[MemoryDiagnoser]
public class PageQueryBench
{
    public const ulong Bytes = 64UL << 20;

    private AnonymousMapping _mapping = null!;
    private ulong[] _addrs = [];
    private int[] _status = [];
    private readonly MovePages _movePages = new();
    private PagemapReader _pagemap = null!;
    private PagemapEntry[] _entries = [];

    [GlobalSetup]
    public void Setup()
    {
        _mapping = new AnonymousMapping(Bytes);
        _mapping.Touch();
        _addrs = _mapping.PageAddresses();
        _status = new int[_addrs.Length];
        _pagemap = new PagemapReader(PagemapReader.PathOf(Environment.ProcessId));
        _entries = new PagemapEntry[_mapping.NrPages];
    }

    [Benchmark]
    public int MovePagesQuery()
    {
        _movePages.Query(Environment.ProcessId, _addrs, _status);
        return _status[^1];
    }

    [Benchmark]
    public bool PagemapRead()
    {
        _pagemap.Read(_mapping.Address, _entries);
        return _entries[^1].Present;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pagemap.Dispose();
        _mapping.Dispose();
    }
}
