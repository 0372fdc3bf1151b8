using Damon.Core.Monitoring;
using Damon.Sim.Workloads;

namespace Damon.Sim.Memory;

/// <summary>
/// A simulated process: its VMAs in the x86-64 Linux layout without ASLR — program text and heap
/// near 0x5555_5555_4000, the mmap area growing down from below the stack gap, the stack at the
/// top — and its page table.
/// </summary>
public sealed class SimProcess
{
    public const ulong TextStart = 0x5555_5555_4000;
    public const ulong TextSize = 0x4000;
    /// <summary>Where brk starts: a little above the program's data, as on an unrandomised exec.</summary>
    public const ulong HeapStart = 0x5555_5557_5000;
    public const ulong StackTop = 0x7fff_ffff_f000;
    public const ulong StackSize = 132UL << 10;
    /// <summary>mmap_base: TASK_SIZE minus the minimum stack gap (128 MiB), page aligned.</summary>
    public const ulong MmapBase = StackTop - (128UL << 20);
    /// <summary>The C library and loader mapped at the top of the mmap area at exec.</summary>
    public const ulong LibSize = 2UL << 20;

    private readonly List<Vma> _vmas = [];
    private ulong _mmapLow;

    internal SimProcess(int pid, string name, byte memcgIndex, ulong memcgId)
    {
        Pid = pid;
        Name = name;
        MemcgIndex = memcgIndex;
        MemcgId = memcgId;
        _vmas.Add(new Vma(TextStart, TextStart + TextSize, MapFlags.File, MemPolicy.Default, name));
        _vmas.Add(new Vma(HeapStart, HeapStart, MapFlags.Anon, MemPolicy.Default, "[heap]"));
        _mmapLow = MmapBase - LibSize;
        _vmas.Add(new Vma(_mmapLow, MmapBase, MapFlags.File, MemPolicy.Default, "libc.so"));
        _vmas.Add(new Vma(StackTop - StackSize, StackTop, MapFlags.Anon, MemPolicy.Default, "[stack]"));
    }

    public int Pid { get; }
    public string Name { get; }
    public ulong MemcgId { get; }
    internal byte MemcgIndex { get; }
    public bool Alive { get; internal set; } = true;
    public PageTable PageTable { get; } = new();
    public IReadOnlyList<Vma> Vmas => _vmas;
    public Vma Heap => _vmas.First(v => v.Name == "[heap]");

    /// <summary>The VMAs as address ranges, empty ones (an unused heap) left out, for vaddr's three regions.</summary>
    public AddrRange[] VmaRanges() =>
        _vmas.Where(v => v.End > v.Start).Select(v => new AddrRange(v.Start, v.End)).ToArray();

    public Vma? FindVma(ulong addr)
    {
        int lo = 0, hi = _vmas.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var v = _vmas[mid];
            if (addr < v.Start) hi = mid - 1;
            else if (addr >= v.End) lo = mid + 1;
            else return v;
        }
        return null;
    }

    /// <summary>get_unmapped_area top-down: just below the lowest mapping so far; big mappings 2 MiB aligned (THP-friendly, as since Linux 6.7).</summary>
    internal Vma AddMmap(ulong size, MapFlags flags, MemPolicy policy)
    {
        ulong align = size >= PageSizes.ThpSize ? PageSizes.ThpSize : PageSizes.PageSize;
        // A size above the free gap would wrap the subtraction to a start above the stack.
        ulong start = size < _mmapLow ? (_mmapLow - size) & ~(align - 1) : 0;
        if (start <= Heap.End + (1UL << 30))
            throw new SimulationException($"pid {Pid}: mmap of {size} bytes: the mmap area ran into the heap");
        _mmapLow = start;
        var vma = new Vma(start, start + size, flags, policy, flags.HasFlag(MapFlags.File) ? "file" : "anon");
        Insert(vma);
        return vma;
    }

    internal void Insert(Vma vma)
    {
        int i = 0;
        while (i < _vmas.Count && _vmas[i].Start < vma.Start) i++;
        _vmas.Insert(i, vma);
    }

    internal void Remove(Vma vma) => _vmas.Remove(vma);

    /// <summary>
    /// Split VMAs so that <paramref name="addr"/> is a VMA boundary (split_vma), so an madvise or
    /// munmap on part of a mapping affects only that part.
    /// </summary>
    internal void SplitAt(ulong addr)
    {
        var v = FindVma(addr);
        if (v is null || v.Start == addr)
            return;
        var tail = new Vma(addr, v.End, v.Flags, v.Policy, v.Name)
        {
            Pgoff = v.Pgoff + ((addr - v.Start) >> PageSizes.PageShift),
        };
        v.End = addr;
        Insert(tail);
    }

    /// <summary>The VMAs overlapping [start, end), after splitting at both ends.</summary>
    internal List<Vma> VmasIn(ulong start, ulong end, bool split)
    {
        if (split)
        {
            SplitAt(start);
            SplitAt(end);
        }
        return _vmas.Where(v => v.Start < end && start < v.End && v.End > v.Start).ToList();
    }

    public override string ToString() => $"pid {Pid} ({Name})";
}
