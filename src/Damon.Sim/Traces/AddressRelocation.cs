namespace Damon.Sim.Traces;

/// <summary>
/// Maps the addresses a trace was recorded at to the addresses the replaying machine handed out
/// for the same mappings, per process. Replay cannot ask for fixed addresses, so every recorded
/// mapping is re-created and accesses inside it are shifted by the difference.
/// </summary>
public sealed class AddressRelocation
{
    private readonly List<List<Range>> _byPid = [];

    public readonly record struct Range(ulong RecStart, ulong RecEnd, ulong NewStart);

    /// <summary>A translation cache for one reader: the last range hit.</summary>
    public struct Cache
    {
        internal int Pid;
        internal ulong Lo, Hi;
        internal long Delta;
        internal int Version;
    }

    private int _version = 1;

    public IReadOnlyList<Range> RangesOf(int pid) => pid < _byPid.Count ? _byPid[pid] : [];

    public void Add(int pid, ulong recStart, ulong size, ulong newStart)
    {
        if (size == 0) return;
        while (_byPid.Count <= pid) _byPid.Add([]);
        var list = _byPid[pid];
        ulong recEnd = recStart + size;
        foreach (var r in list)
            if (r.RecStart < recEnd && recStart < r.RecEnd)
                throw new InvalidOperationException($"recorded mapping [0x{recStart:x}, 0x{recEnd:x}) overlaps [0x{r.RecStart:x}, 0x{r.RecEnd:x})");
        int at = list.FindIndex(r => r.RecStart > recStart);
        list.Insert(at < 0 ? list.Count : at, new Range(recStart, recEnd, newStart));
        _version++;
    }

    /// <summary>Removes [recStart, recStart+size); calls <paramref name="unmapPiece"/> with the new address and length of each mapped piece.</summary>
    public void Remove(int pid, ulong recStart, ulong size, Action<ulong, ulong> unmapPiece)
    {
        if (pid >= _byPid.Count || size == 0) return;
        var list = _byPid[pid];
        ulong recEnd = recStart + size;
        var next = new List<Range>(list.Count + 1);
        foreach (var r in list)
        {
            if (r.RecEnd <= recStart || recEnd <= r.RecStart) { next.Add(r); continue; }
            ulong cutLo = Math.Max(r.RecStart, recStart), cutHi = Math.Min(r.RecEnd, recEnd);
            unmapPiece(r.NewStart + (cutLo - r.RecStart), cutHi - cutLo);
            if (r.RecStart < cutLo) next.Add(r with { RecEnd = cutLo });
            if (cutHi < r.RecEnd) next.Add(new Range(cutHi, r.RecEnd, r.NewStart + (cutHi - r.RecStart)));
        }
        _byPid[pid] = next;
        _version++;
    }

    public bool TryTranslate(int pid, ulong addr, ref Cache cache, out ulong translated)
    {
        if (cache.Version == _version && cache.Pid == pid && addr - cache.Lo < cache.Hi - cache.Lo)
        {
            translated = (ulong)((long)addr + cache.Delta);
            return true;
        }
        return TryTranslateSlow(pid, addr, ref cache, out translated);
    }

    private bool TryTranslateSlow(int pid, ulong addr, ref Cache cache, out ulong translated)
    {
        translated = 0;
        if ((uint)pid >= (uint)_byPid.Count) return false;
        var list = _byPid[pid];
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var r = list[mid];
            if (addr < r.RecStart) hi = mid - 1;
            else if (addr >= r.RecEnd) lo = mid + 1;
            else
            {
                cache = new Cache { Pid = pid, Lo = r.RecStart, Hi = r.RecEnd, Delta = (long)(r.NewStart - r.RecStart), Version = _version };
                translated = r.NewStart + (addr - r.RecStart);
                return true;
            }
        }
        return false;
    }
}
