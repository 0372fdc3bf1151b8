using System.Runtime.CompilerServices;

namespace Damon.Sim.Memory;

/// <summary>
/// A process's virtual page → frame map as a three-level sparse array (2^11 × 2^12 × 2^12 pages,
/// covering 47-bit user addresses), leaves of 4096 entries (16 MiB of address space) made on first
/// touch. An entry is 0 (never touched), frame + 1, or <see cref="SwapBit"/> | swap slot.
/// </summary>
public sealed class PageTable
{
    public const uint SwapBit = 0x8000_0000;
    public const int LeafShift = 12;
    public const int LeafSize = 1 << LeafShift;
    private const int MidShift = 12;
    private const int TopSize = 1 << 11;

    private readonly uint[]?[]?[] _top = new uint[]?[]?[TopSize];

    public long NrLeaves { get; private set; }

    /// <summary>The leaf holding virtual pages [key·4096, key·4096 + 4096), or null if none was made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint[]? Leaf(ulong leafKey)
    {
        ulong t = leafKey >> MidShift;
        if (t >= TopSize) return null;
        return _top[t]?[leafKey & ((1 << MidShift) - 1)];
    }

    public uint[] LeafOrCreate(ulong leafKey)
    {
        ulong t = leafKey >> MidShift;
        if (t >= TopSize)
            throw new ArgumentOutOfRangeException(nameof(leafKey), "address beyond the 47-bit user address space");
        var mid = _top[t] ??= new uint[]?[1 << MidShift];
        ref var leaf = ref mid[leafKey & ((1 << MidShift) - 1)];
        if (leaf is null)
        {
            leaf = new uint[LeafSize];
            NrLeaves++;
        }
        return leaf;
    }

    public uint Get(ulong vpage) => Leaf(vpage >> LeafShift)?[vpage & (LeafSize - 1)] ?? 0;

    public void Set(ulong vpage, uint entry) => LeafOrCreate(vpage >> LeafShift)[vpage & (LeafSize - 1)] = entry;

    public long StateBytes => NrLeaves * LeafSize * sizeof(uint);
}
