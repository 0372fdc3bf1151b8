using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Damon.Sim.Memory;

/// <summary>
/// Page state as struct-of-arrays indexed by frame number, in 1 GiB chunks (2^18 frames) allocated
/// on first use: flags (2 bytes), reverse map owner pid (2) and the low 32 bits of the virtual page
/// (4) — 8 bytes per touched frame. Two columns are made only when a chunk needs them: the memcg
/// index (1 byte; all index 0, the root, until a frame of the chunk is charged elsewhere) and the
/// virtual page's high bits (1 byte; until then every frame with a reverse map shares one value per
/// chunk, <see cref="VpageHiOf"/>, as a process's pages in one 1 GiB of frames nearly always do, and
/// a frame without one — owner 0, low bits 0 — reads 0). An untouched chunk costs one null reference
/// per column.
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
    /// <summary>Per chunk without a <see cref="VpageHi"/> column: the high bits of every reverse-mapped frame's virtual page; -1 until one is set.</summary>
    internal readonly short[] VpageHiOf;
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
        VpageHiOf = new short[nrChunks];
        Array.Fill(VpageHiOf, (short)-1);
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
        Owner[c] = new ushort[n];
        VpageLo[c] = new uint[n];
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

    public byte MemcgIndex(uint frame) => Memcg[frame >> ChunkShift]?[frame & ChunkMask] ?? 0;

    internal void SetMemcg(uint frame, byte idx)
    {
        ref var chunk = ref Memcg[frame >> ChunkShift];
        if (chunk is null)
        {
            // A chunk's memcg column is all index 0 until a frame is charged elsewhere.
            if (idx == 0) return;
            chunk = new byte[1 << ChunkShift];
        }
        chunk[frame & ChunkMask] = idx;
    }

    /// <summary>Reverse map: the owning pid (0: not mapped) and its virtual page number.</summary>
    public int OwnerPid(uint frame) => Owner[frame >> ChunkShift]![frame & ChunkMask];

    public ulong OwnerVpage(uint frame)
    {
        int c = (int)(frame >> ChunkShift);
        uint i = frame & ChunkMask;
        uint lo = VpageLo[c]![i];
        return ((ulong)VpageHiAt(c, i, Owner[c]![i], lo) << 32) | lo;
    }

    private byte VpageHiAt(int c, uint i, ushort owner, uint lo) =>
        VpageHi[c] is { } hi ? hi[i] : owner == 0 && lo == 0 ? (byte)0 : (byte)Math.Max(VpageHiOf[c], (short)0);

    internal void SetRmap(uint frame, int pid, ulong vpage)
    {
        int c = (int)(frame >> ChunkShift);
        uint i = frame & ChunkMask;
        byte hi = (byte)(vpage >> 32);
        if (VpageHi[c] is null)
        {
            if (pid == 0 && (uint)vpage == 0)
            {
                // Read as 0 without a column: only a non-zero high part needs one.
                if (hi != 0) MakeVpageHiColumn(c);
            }
            else if (VpageHiOf[c] < 0)
                VpageHiOf[c] = hi;
            else if (VpageHiOf[c] != hi)
                MakeVpageHiColumn(c);
        }
        if (VpageHi[c] is { } column) column[i] = hi;
        Owner[c]![i] = (ushort)pid;
        VpageLo[c]![i] = (uint)vpage;
    }

    /// <summary>A second high value in the chunk: write out what every frame reads now.</summary>
    private void MakeVpageHiColumn(int c)
    {
        var column = new byte[1 << ChunkShift];
        var owner = Owner[c]!;
        var lo = VpageLo[c]!;
        for (uint i = 0; i < column.Length; i++)
            column[i] = VpageHiAt(c, i, owner[i], lo[i]);
        VpageHi[c] = column;
    }

    /// <summary>The head frame of the folio <paramref name="frame"/> belongs to.</summary>
    public uint FolioHead(uint frame) =>
        (GetFlags(frame) & PageFlags.Thp) != 0 ? frame & ~(PageSizes.ThpPages - 1) : frame;

    public uint FolioNrPages(uint frame) => (GetFlags(frame) & PageFlags.Thp) != 0 ? PageSizes.ThpPages : 1;

    /// <summary>Bytes of state held, for the 16-bytes-per-page budget.</summary>
    public long StateBytes => ((long)NrLiveChunks * 8 + Memcg.Count(c => c is not null) + VpageHi.Count(c => c is not null)) * (1 << ChunkShift);
}
