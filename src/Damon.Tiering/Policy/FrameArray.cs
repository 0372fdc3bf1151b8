using Damon.Sim.Memory;

namespace Damon.Tiering.Policy;

/// <summary>Per-frame policy state in 1 GiB chunks made on first write, like the machine's frame table.</summary>
public sealed class FrameArray<T> where T : struct
{
    private readonly T[]?[] _chunks;

    public FrameArray(uint nrFrameSlots) =>
        _chunks = new T[]?[(nrFrameSlots + FrameTable.ChunkMask) >> FrameTable.ChunkShift];

    public T this[uint frame]
    {
        get => _chunks[frame >> FrameTable.ChunkShift]?[frame & FrameTable.ChunkMask] ?? default;
        set => (_chunks[frame >> FrameTable.ChunkShift] ??= new T[1 << FrameTable.ChunkShift])[frame & FrameTable.ChunkMask] = value;
    }
}
