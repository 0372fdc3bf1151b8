using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Damon.Sim.Memory;

/// <summary>
/// Page state as struct-of-arrays indexed by frame number, in 1 GiB chunks (2^18 frames) allocated
/// on first use: flags (2 bytes), memcg index (1), reverse map owner pid (2) and virtual page
/// (4 + 1) — 10 bytes per touched frame; an untouched chunk costs one null reference.
/// </summary>
public sealed class FrameTable
{
    public const int ChunkShift = 18;
    public const uint ChunkMask = (1U << ChunkShift) - 1;

    internal readonly ushort[]?[] Flags;
    internal readonly byte[]?[] Memcg;
    internal readonly ushort[]?[] Owner;
    internal readonly uint[]?[] VpageLo;
    internal readonly byte[]?[] VpageHi;
    /// <summary>Allocated frames per chunk, so node byte counts need no page walk.</summary>
    internal readonly uint[] NrAllocated;

    public FrameTable(ulong nrFrames)
    {
        int nrChunks = (int)((nrFrames + ChunkMask) >> ChunkShift);
        Flags = new ushort[]?[nrChunks];
        Memcg = new byte[]?[nrChunks];
        Owner = new ushort[]?[nrChunks];
        VpageLo = new uint[]?[nrChunks];
        VpageHi = new byte[]?[nrChunks];
        NrAllocated = new uint[nrChunks];
    }

    public int NrChunks => Flags.Length;

    /// <summary>Chunks that have been touched (for memory accounting).</summary>
    public int NrLiveChunks => Flags.Count(c => c is not null);

    internal void EnsureChunk(uint frame)
    {
        int c = (int)(frame >> ChunkShift);
        if (Flags[c] is not null)
            return;
        int n = 1 << ChunkShift;
        Flags[c] = new ushort[n];
        Memcg[c] = new byte[n];
        Owner[c] = new ushort[n];
        VpageLo[c] = new uint[n];
        VpageHi[c] = new byte[n];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref ushort FlagRef(uint frame) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Flags[frame >> ChunkShift]!), (int)(frame & ChunkMask));

    /// <summary>
    /// The flags that hold <paramref name="frame"/>'s folio bits: its own, or its THP head's (in
    /// the same chunk, which is THP-aligned). One chunk lookup and no bounds check, for the
    /// per-sample paths; <paramref name="frame"/> must be allocated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref ushort FolioFlagsRef(uint frame, out bool thp)
    {
        ref ushort chunk0 = ref MemoryMarshal.GetArrayDataReference(Flags[frame >> ChunkShift]!);
        int i = (int)(frame & ChunkMask);
        thp = (Unsafe.Add(ref chunk0, i) & (ushort)PageFlags.Thp) != 0;
        if (thp)
            i &= ~(int)(PageSizes.ThpPages - 1);
        return ref Unsafe.Add(ref chunk0, i);
    }

    /// <summary>Start fetching <paramref name="frame"/>'s flags (a hint; nothing for a frame never allocated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PrefetchFlags(uint frame)
    {
        // Chunks are all 2^ChunkShift long: no bounds check, which would read the chunk's header line.
        if ((frame >> ChunkShift) < (uint)Flags.Length && Flags[frame >> ChunkShift] is { } c)
            CacheLine.Prefetch(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), (nint)(frame & ChunkMask)));
    }

    public PageFlags GetFlags(uint frame)
    {
        var c = Flags[frame >> ChunkShift];
        return c is null ? PageFlags.None : (PageFlags)Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), (nint)(frame & ChunkMask));
    }

    internal void SetFlags(uint frame, PageFlags f) => FlagRef(frame) = (ushort)f;

    public byte MemcgIndex(uint frame) => Memcg[frame >> ChunkShift]![frame & ChunkMask];
    internal void SetMemcg(uint frame, byte idx) => Memcg[frame >> ChunkShift]![frame & ChunkMask] = idx;

    /// <summary>Reverse map: the owning pid (0: not mapped) and its virtual page number.</summary>
    public int OwnerPid(uint frame) => Owner[frame >> ChunkShift]![frame & ChunkMask];

    public ulong OwnerVpage(uint frame)
    {
        int c = (int)(frame >> ChunkShift);
        uint i = frame & ChunkMask;
        return ((ulong)VpageHi[c]![i] << 32) | VpageLo[c]![i];
    }

    internal void SetRmap(uint frame, int pid, ulong vpage)
    {
        int c = (int)(frame >> ChunkShift);
        uint i = frame & ChunkMask;
        Owner[c]![i] = (ushort)pid;
        VpageLo[c]![i] = (uint)vpage;
        VpageHi[c]![i] = (byte)(vpage >> 32);
    }

    /// <summary>The head frame of the folio <paramref name="frame"/> belongs to.</summary>
    public uint FolioHead(uint frame) =>
        (GetFlags(frame) & PageFlags.Thp) != 0 ? frame & ~(PageSizes.ThpPages - 1) : frame;

    public uint FolioNrPages(uint frame) => (GetFlags(frame) & PageFlags.Thp) != 0 ? PageSizes.ThpPages : 1;

    /// <summary>Bytes of state held, for the 16-bytes-per-page budget.</summary>
    public long StateBytes => (long)NrLiveChunks * (1 << ChunkShift) * 10;
}
