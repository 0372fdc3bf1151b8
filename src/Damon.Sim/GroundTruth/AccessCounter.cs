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

    /// <summary>End the current window at <paramref name="nowNs"/> and start the next one.</summary>
    public AccessWindow CloseWindow(ulong nowNs)
    {
        var done = new AccessWindow(Chunks, _windowStartNs, nowNs);
        Chunks = new ushort[]?[_frames.NrChunks];
        for (int c = 0; c < Chunks.Length; c++)
            if (_frames.Flags[c] is not null) Chunks[c] = new ushort[1 << FrameTable.ChunkShift];
        _windowStartNs = nowNs;
        return done;
    }
}

/// <summary>One finished ground-truth window: per-frame access counts over [StartNs, EndNs).</summary>
public sealed class AccessWindow
{
    private readonly ushort[]?[] _chunks;

    internal AccessWindow(ushort[]?[] chunks, ulong startNs, ulong endNs)
    {
        _chunks = chunks;
        StartNs = startNs;
        EndNs = endNs;
    }

    public ulong StartNs { get; }
    public ulong EndNs { get; }

    public ushort Count(uint frame) => _chunks[frame >> FrameTable.ChunkShift]?[frame & FrameTable.ChunkMask] ?? 0;
}
