namespace Damon.Sim.Workloads;

[Flags]
public enum MapFlags
{
    /// <summary>Anonymous private memory (heap, mmap(MAP_ANONYMOUS)).</summary>
    Anon = 0,
    /// <summary>File-backed page cache memory.</summary>
    File = 1 << 0,
    /// <summary>Back with 2 MiB THP folios where alignment allows (MADV_HUGEPAGE).</summary>
    Thp = 1 << 1,
}
