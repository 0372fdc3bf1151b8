namespace Damon.Sim.Workloads;

/// <summary>
/// The tail of an operation (a read-modify-write, a multi-line value) that did not fit the batch
/// it was generated in; it opens the next batch, so a host may pass batches of any size.
/// </summary>
public sealed class PendingAccesses
{
    private MemAccess[] _buf = new MemAccess[8];
    private int _pos, _len;

    public bool IsEmpty => _pos == _len;

    /// <summary>Copies pending accesses into <paramref name="dst"/> from <paramref name="i"/>; returns the new fill position.</summary>
    public int Drain(Span<MemAccess> dst, int i)
    {
        int n = Math.Min(_len - _pos, dst.Length - i);
        _buf.AsSpan(_pos, n).CopyTo(dst[i..]);
        _pos += n;
        return i + n;
    }

    /// <summary>A buffer to build one operation of <paramref name="n"/> accesses in; then <see cref="Drain"/> it.</summary>
    public Span<MemAccess> Stage(int n)
    {
        if (_buf.Length < n) _buf = new MemAccess[Math.Max(n, _buf.Length * 2)];
        _pos = 0;
        _len = n;
        return _buf.AsSpan(0, n);
    }

    /// <summary>Keeps only the first <paramref name="n"/> staged accesses (an operation may use fewer than staged for).</summary>
    public void Trim(int n) => _len = Math.Min(_len, n);
}
