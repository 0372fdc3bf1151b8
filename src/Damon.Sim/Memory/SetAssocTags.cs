using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Damon.Sim.Memory;

/// <summary>
/// The tag store of a set-associative cache (the LLC, a TLB): <c>sets × ways</c> 32-bit tags in one
/// flat array (16 ways are one 64-byte line of the host) and one bit-PLRU word per set (a way's bit
/// is set when it is used; when every bit is set the others are cleared; the victim is the lowest
/// clear bit), the cheap pseudo-LRU that real L2/L3 caches approximate. The set count is a power of
/// two; a key's set is its low bits XORed with a hash of its high bits (as hashed cache indexing
/// does, so strided keys spread), and the tag is the high bits, from which set and tag give the
/// key back: no two keys share a (set, tag). Keys must stay below 2^32 × sets. Nothing is
/// allocated after construction.
/// </summary>
public sealed class SetAssocTags
{
    private const ulong Golden = 0x9E37_79B9_7F4A_7C15;
    private readonly uint[] _tags;
    private readonly ulong[] _used;
    private readonly int _ways;
    private readonly int _setShift;
    private readonly ulong _setMask;
    private readonly ulong _full;
    /// <summary>Ways come in fours: a set is searched four tags per vector compare.</summary>
    private readonly bool _vector;

    public SetAssocTags(int nrEntries, int ways)
    {
        if (ways is < 1 or > 64 || nrEntries < ways || nrEntries % ways != 0 || !BitOperations.IsPow2(nrEntries / ways))
            throw new ArgumentException($"{nrEntries} entries cannot be split into a power-of-two number of sets of {ways} ways");
        _ways = ways;
        int nrSets = nrEntries / ways;
        _setShift = BitOperations.Log2((uint)nrSets);
        _setMask = (ulong)nrSets - 1;
        _tags = new uint[nrEntries];
        _used = new ulong[nrSets];
        _full = ways == 64 ? ulong.MaxValue : (1UL << ways) - 1;
        _vector = Vector256.IsHardwareAccelerated && ways % 4 == 0;
    }

    public int NrEntries => _tags.Length;
    public int Ways => _ways;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SetOf(ulong key) => (int)((key ^ (((key >> _setShift) * Golden) >> 40)) & _setMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint TagOf(ulong key) => (uint)(key >> _setShift) + 1;

    /// <summary>
    /// Look <paramref name="key"/> up; on a miss put it in its set's PLRU victim way. True on a hit.
    /// Tags are stored + 1 so that 0 is an empty way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Access(ulong key)
    {
        uint tag = TagOf(key);
        int set = SetOf(key);
        ref uint t0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_tags), set * _ways);
        ref ulong used = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_used), set);
        int w = _vector ? FindVector(ref t0, tag) : FindScalar(ref t0, tag);
        bool hit = w < _ways;
        if (!hit)
        {
            w = BitOperations.TrailingZeroCount(~used & _full);
            // Only a one-way (direct-mapped) set keeps its single bit set.
            if (w >= _ways) w = 0;
            Unsafe.Add(ref t0, w) = tag;
        }
        ulong u = used | (1UL << w);
        used = u == _full ? 1UL << w : u;
        return hit;
    }

    /// <summary>
    /// Start fetching what <see cref="Access"/> of <paramref name="key"/> will read: its set's tags
    /// (first and last way: a set of 16 may straddle two host lines) and its PLRU word. A hint only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong key)
    {
        int set = SetOf(key);
        ref uint t0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_tags), set * _ways);
        CacheLine.Prefetch(ref t0);
        CacheLine.Prefetch(ref Unsafe.Add(ref t0, _ways - 1));
        CacheLine.Prefetch(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_used), set));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindVector(ref uint t0, uint tag)
    {
        var needle = Vector256.Create(tag);
        int i = 0;
        for (; i + 8 <= _ways; i += 8)
        {
            uint m = Vector256.Equals(Vector256.LoadUnsafe(ref t0, (nuint)i), needle).ExtractMostSignificantBits();
            if (m != 0)
                return i + BitOperations.TrailingZeroCount(m);
        }
        for (; i < _ways; i += 4)
        {
            uint m = Vector128.Equals(Vector128.LoadUnsafe(ref t0, (nuint)i), Vector128.Create(tag)).ExtractMostSignificantBits();
            if (m != 0)
                return i + BitOperations.TrailingZeroCount(m);
        }
        return _ways;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindScalar(ref uint t0, uint tag)
    {
        int w = 0;
        while (w < _ways && Unsafe.Add(ref t0, w) != tag) w++;
        return w;
    }

    /// <summary>Whether <paramref name="key"/> is held, without touching the replacement state.</summary>
    public bool Contains(ulong key) => IndexOf(key) >= 0;

    /// <summary>Drop <paramref name="key"/> if it is held (an invalidation, e.g. INVLPG).</summary>
    public void Invalidate(ulong key)
    {
        int i = IndexOf(key);
        if (i < 0)
            return;
        _tags[i] = 0;
        _used[i / _ways] &= ~(1UL << (i % _ways));
    }

    /// <summary>Drop every entry (a full flush).</summary>
    public void Clear()
    {
        Array.Clear(_tags);
        Array.Clear(_used);
    }

    private int IndexOf(ulong key)
    {
        int from = SetOf(key) * _ways;
        return Array.IndexOf(_tags, TagOf(key), from, _ways);
    }
}
