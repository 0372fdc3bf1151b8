namespace Damon.Core.Sampling;

/// <summary>One key of a breakdown (a CPU number, a thread id) and the accesses counted for it.</summary>
public readonly record struct AccessKeyCount(int Key, uint Count);

/// <summary>
/// Counted accesses of one region by key, in ascending key order. Two small sorted arrays: in one
/// aggregation window a region's accesses come from a few CPUs and threads, and the arrays are kept
/// across windows (<see cref="Clear"/> only forgets the entries), so a region in steady state
/// allocates nothing.
/// </summary>
public sealed class AccessKeyCounts
{
    private int[] _keys = [];
    private uint[] _counts = [];

    /// <summary>Keys with a non-zero count.</summary>
    public int Count { get; private set; }

    public AccessKeyCount this[int i] => new(_keys[i], _counts[i]);

    /// <summary>Sum of the counts.</summary>
    public uint Total
    {
        get
        {
            uint sum = 0;
            for (int i = 0; i < Count; i++) sum += _counts[i];
            return sum;
        }
    }

    public uint Get(int key)
    {
        int i = Array.BinarySearch(_keys, 0, Count, key);
        return i >= 0 ? _counts[i] : 0;
    }

    public void Add(int key, uint n = 1)
    {
        if (n == 0) return;
        int i = Array.BinarySearch(_keys, 0, Count, key);
        if (i >= 0)
        {
            _counts[i] += n;
            return;
        }
        i = ~i;
        Reserve(Count + 1);
        Array.Copy(_keys, i, _keys, i + 1, Count - i);
        Array.Copy(_counts, i, _counts, i + 1, Count - i);
        _keys[i] = key;
        _counts[i] = n;
        Count++;
    }

    public void Clear() => Count = 0;

    public void CopyFrom(AccessKeyCounts other)
    {
        Reserve(other.Count);
        Array.Copy(other._keys, _keys, other.Count);
        Array.Copy(other._counts, _counts, other.Count);
        Count = other.Count;
    }

    public AccessKeyCount[] ToArray()
    {
        var a = new AccessKeyCount[Count];
        for (int i = 0; i < Count; i++) a[i] = this[i];
        return a;
    }

    private void Reserve(int n)
    {
        if (_keys.Length >= n) return;
        int cap = Math.Max(n, Math.Max(2, _keys.Length * 2));
        Array.Resize(ref _keys, cap);
        Array.Resize(ref _counts, cap);
    }

    /// <summary>
    /// Replaces the counts with <c>(l·wl + r·wr) / divisor</c> per key, apportioned so that they sum to
    /// exactly <paramref name="total"/>: each key gets the integer part, and the units the integer parts
    /// leave short of the total go one each to the keys with the largest remainders (lower key first on
    /// ties, so the result is deterministic). <paramref name="total"/> must be
    /// ⌊(ΣL·wl + ΣR·wr) / divisor⌋ or less for the counts to stay within that — the callers pass
    /// exactly the size-weighted total nr_accesses' own rule gives. <paramref name="l"/> may be this.
    /// </summary>
    internal void SetWeighted(AccessKeyCounts l, ulong wl, AccessKeyCounts? r, ulong wr, ulong divisor, uint total)
    {
        int rn = r?.Count ?? 0;
        int max = l.Count + rn;
        if (max == 0 || divisor == 0 || total == 0)
        {
            Clear();
            return;
        }
        Span<int> keys = max <= 64 ? stackalloc int[max] : new int[max];
        Span<uint> counts = max <= 64 ? stackalloc uint[max] : new uint[max];
        Span<ulong> rems = max <= 64 ? stackalloc ulong[max] : new ulong[max];
        int n = 0, i = 0, j = 0;
        ulong given = 0;
        while (i < l.Count || j < rn)
        {
            int key;
            UInt128 w = 0;
            if (j >= rn || (i < l.Count && l._keys[i] < r!._keys[j]))
            {
                key = l._keys[i];
                w = (UInt128)l._counts[i++] * wl;
            }
            else if (i >= l.Count || r!._keys[j] < l._keys[i])
            {
                key = r!._keys[j];
                w = (UInt128)r._counts[j++] * wr;
            }
            else
            {
                key = l._keys[i];
                w = (UInt128)l._counts[i++] * wl + (UInt128)r._counts[j++] * wr;
            }
            keys[n] = key;
            counts[n] = (uint)(w / divisor);
            rems[n] = (ulong)(w % divisor);
            given += counts[n];
            n++;
        }
        // Fewer units short than keys with a remainder: Σ rem / divisor is the fractions' sum, and
        // total is at most the integer part of the weighted sum.
        ulong shortBy = total > given ? total - given : 0;
        for (; shortBy > 0; shortBy--)
        {
            int best = -1;
            for (int k = 0; k < n; k++)
                if (rems[k] != 0 && (best < 0 || rems[k] > rems[best]))
                    best = k;
            if (best < 0) break;
            counts[best]++;
            rems[best] = 0;
        }
        Reserve(n);
        Count = 0;
        for (int k = 0; k < n; k++)
        {
            if (counts[k] == 0) continue;
            _keys[Count] = keys[k];
            _counts[Count++] = counts[k];
        }
    }
}
