using Damon.Sim.Memory;

namespace Damon.Sim.GroundTruth;

/// <summary>
/// Ground truth: how many times each frame was accessed in the current window (saturating u16,
/// 2 bytes per touched frame, chunked like <see cref="FrameTable"/>). The access loop does one
/// increment per access; <see cref="CloseWindow"/> hands the finished window out and starts anew.
/// Counts follow a page when it migrates.
/// </summary>
public sealed class AccessCounter
{
    private readonly FrameTable _frames;
    internal ushort[]?[] Chunks;
    private ushort[]?[]? _spare;
    private ulong _windowStartNs;

    internal AccessCounter(FrameTable frames)
    {
        _frames = frames;
        Chunks = new ushort[]?[frames.NrChunks];
        for (int c = 0; c < Chunks.Length; c++)
            if (frames.Flags[c] is not null) Chunks[c] = new ushort[1 << FrameTable.ChunkShift];
    }

    internal void EnsureChunk(uint frame) => Chunks[frame >> FrameTable.ChunkShift] ??= new ushort[1 << FrameTable.ChunkShift];

    public ushort Count(uint frame) => Chunks[frame >> FrameTable.ChunkShift]?[frame & FrameTable.ChunkMask] ?? 0;

    internal void Clear(uint frame)
    {
        var c = Chunks[frame >> FrameTable.ChunkShift];
        if (c is not null) c[frame & FrameTable.ChunkMask] = 0;
    }

    internal void Move(uint from, uint to)
    {
        EnsureChunk(to);
        Chunks[to >> FrameTable.ChunkShift]![to & FrameTable.ChunkMask] = Count(from);
        Clear(from);
    }

    /// <summary>
    /// End the current window at <paramref name="nowNs"/> and start the next one, in the arrays of
    /// the last <see cref="Recycle"/>d window if there is one (2 bytes per page: 512 MiB at 1 TiB,
    /// which callers closing a window per aggregation must not allocate every time).
    /// </summary>
    public AccessWindow CloseWindow(ulong nowNs)
    {
        var done = new AccessWindow(Chunks, _windowStartNs, nowNs);
        var next = _spare ?? new ushort[]?[_frames.NrChunks];
        _spare = null;
        if (next.Length < _frames.NrChunks)
            Array.Resize(ref next, _frames.NrChunks);
        for (int c = 0; c < next.Length; c++)
        {
            if (next[c] is { } chunk)
                Array.Clear(chunk);
            else if (_frames.Flags[c] is not null)
                next[c] = new ushort[1 << FrameTable.ChunkShift];
        }
        Chunks = next;
        _windowStartNs = nowNs;
        return done;
    }

    /// <summary>
    /// Give a finished window's arrays back for the next <see cref="CloseWindow"/>; the window can
    /// no longer be read.
    /// </summary>
    public void Recycle(AccessWindow w) => _spare = w.Release();
}

/// <summary>One finished ground-truth window: per-frame access counts over [StartNs, EndNs).</summary>
public sealed class AccessWindow
{
    private ushort[]?[]? _chunks;

    internal AccessWindow(ushort[]?[] chunks, ulong startNs, ulong endNs)
    {
        _chunks = chunks;
        StartNs = startNs;
        EndNs = endNs;
    }

    public ulong StartNs { get; }
    public ulong EndNs { get; }

    public ushort Count(uint frame)
    {
        var chunks = _chunks ?? throw new InvalidOperationException("this ground-truth window was recycled");
        return chunks[frame >> FrameTable.ChunkShift]?[frame & FrameTable.ChunkMask] ?? 0;
    }

    internal ushort[]?[] Release()
    {
        var chunks = _chunks ?? throw new InvalidOperationException("this ground-truth window was recycled already");
        _chunks = null;
        return chunks;
    }
}
