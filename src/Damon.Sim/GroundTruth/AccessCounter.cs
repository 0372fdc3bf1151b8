using Damon.Sim.Memory;

namespace Damon.Sim.GroundTruth;

/// <summary>
/// Ground truth: how many times each frame was accessed in the current window (saturating u16,
/// 2 bytes per touched frame, chunked like <see cref="FrameTable"/>). The access loop does one
/// increment per access; <see cref="CloseWindow"/> hands the finished window out and starts anew.
/// Counts follow a page when it migrates.
/// </summary>
/// <remarks>
/// One set of arrays, not two: a closed window is lent the counter's own arrays, and the window
/// after it starts without arrays of its own. A caller that reads the window and gives it back
/// (<see cref="Recycle"/>) before the machine runs again — every caller here scores a window inside
/// the callback that closed it — has it zeroed in place, so ground truth costs 2 bytes per page
/// with its window (at 1 TiB 512 MiB, not the 1 GiB a current and a finished array set take).
/// If accesses come first, <see cref="ChunksForAccess"/> gives the new window arrays of its own and
/// the lent window stays as it was closed.
/// </remarks>
public sealed class AccessCounter
{
    private readonly FrameTable _frames;
    private ushort[]?[] _chunks;
    private ushort[]?[]? _spare;
    /// <summary>The window closed last, while it still shares <see cref="_chunks"/> (the current window then counts nothing yet).</summary>
    private AccessWindow? _lent;
    private ulong _windowStartNs;

    internal AccessCounter(FrameTable frames)
    {
        _frames = frames;
        _chunks = new ushort[]?[frames.NrChunks];
        for (int c = 0; c < _chunks.Length; c++)
            if (frames.Flags[c] is not null) _chunks[c] = new ushort[1 << FrameTable.ChunkShift];
    }

    /// <summary>The arrays an access batch counts into; a window lent the current ones keeps them.</summary>
    internal ushort[]?[] ChunksForAccess()
    {
        if (_lent is not null)
            Detach();
        return _chunks;
    }

    internal void EnsureChunk(uint frame) => _chunks[frame >> FrameTable.ChunkShift] ??= new ushort[1 << FrameTable.ChunkShift];

    /// <summary>The current window's count (0 while its arrays are lent: nothing ran since the close).</summary>
    public ushort Count(uint frame) =>
        _lent is not null ? (ushort)0 : _chunks[frame >> FrameTable.ChunkShift]?[frame & FrameTable.ChunkMask] ?? 0;

    internal void Clear(uint frame)
    {
        // While lent, the current window is all zeros already and the lent one must not change.
        if (_lent is not null) return;
        var c = _chunks[frame >> FrameTable.ChunkShift];
        if (c is not null) c[frame & FrameTable.ChunkMask] = 0;
    }

    internal void Move(uint from, uint to)
    {
        EnsureChunk(to);
        if (_lent is not null) return;
        _chunks[to >> FrameTable.ChunkShift]![to & FrameTable.ChunkMask] = Count(from);
        Clear(from);
    }

    /// <summary>
    /// End the current window at <paramref name="nowNs"/> and start the next one. The finished
    /// window is lent the current arrays (see the remarks); <see cref="Recycle"/> it before the
    /// machine runs again to keep one array set.
    /// </summary>
    public AccessWindow CloseWindow(ulong nowNs)
    {
        // Two closes without an access between them: the earlier window keeps the arrays.
        if (_lent is not null)
            Detach();
        var done = new AccessWindow(_chunks, _windowStartNs, nowNs);
        _lent = done;
        _windowStartNs = nowNs;
        return done;
    }

    /// <summary>
    /// Drop every count, as a new counter would start (window start 0): a window lent the current
    /// arrays keeps them and the counter takes arrays of its own; otherwise they are zeroed in place.
    /// </summary>
    internal void Restart()
    {
        if (_lent is not null)
            Detach();
        else
            foreach (var chunk in _chunks)
                if (chunk is not null) Array.Clear(chunk);
        _windowStartNs = 0;
    }

    /// <summary>Give the current window arrays of its own (the last recycled ones, zeroed, or new ones).</summary>
    private void Detach()
    {
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
        _chunks = next;
        _lent = null;
    }

    /// <summary>
    /// Give a finished window's arrays back; the window can no longer be read. The window closed
    /// last, if nothing ran since, is zeroed in place for the current window; an older one's arrays
    /// are kept for the next window that needs its own.
    /// </summary>
    public void Recycle(AccessWindow w)
    {
        var chunks = w.Release();
        if (ReferenceEquals(w, _lent))
        {
            foreach (var chunk in chunks)
                if (chunk is not null) Array.Clear(chunk);
            _lent = null;
        }
        else
        {
            _spare = chunks;
        }
    }
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
