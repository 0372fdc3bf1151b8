using System.Collections;

namespace Damon.Core.Monitoring;

/// <summary>
/// damon_target: a monitoring target (a process for vaddr/fvaddr, nothing for paddr) and its
/// address-ordered, non-overlapping regions. Destroyed regions are kept in a free list and reused,
/// so split/merge in steady state allocate nothing.
/// </summary>
public sealed class Target
{
    private Region? _first;
    private Region? _last;
    private Region? _free;

    public Target(int pid = 0) => Pid = pid;

    /// <summary>Process id for vaddr/fvaddr targets; unused for paddr.</summary>
    public int Pid { get; set; }
    public int NrRegions { get; private set; }
    /// <summary>Commit-source flag: remove the matching destination target (damon_target.obsolete).</summary>
    public bool Obsolete { get; set; }
    /// <summary>Per-target state the operations set keeps (e.g. the process handle).</summary>
    public object? OpsPrivate { get; set; }

    public Region? FirstRegion => _first;
    public Region? LastRegion => _last;

    /// <summary>
    /// Region objects this target has made (live plus on the free list): the free list grows to
    /// the most regions the target has held at once, and only a step that raises that mark allocates.
    /// </summary>
    public int NrRegionsMade { get; private set; }

    /// <summary>damon_new_region, drawing from this target's free list when possible.</summary>
    public Region NewRegion(ulong start, ulong end)
    {
        var r = _free;
        if (r is null)
        {
            NrRegionsMade++;
            return new Region(start, end);
        }
        _free = r.Next;
        r.Reset(start, end);
        return r;
    }

    /// <summary>damon_add_region: append at the tail.</summary>
    public void AddRegion(Region r)
    {
        r.Prev = _last;
        r.Next = null;
        if (_last is null) _first = r; else _last.Next = r;
        _last = r;
        NrRegions++;
    }

    /// <summary>damon_insert_region: put <paramref name="r"/> right after <paramref name="prev"/>.</summary>
    public void InsertAfter(Region prev, Region r)
    {
        r.Prev = prev;
        r.Next = prev.Next;
        if (prev.Next is null) _last = r; else prev.Next.Prev = r;
        prev.Next = r;
        NrRegions++;
    }

    /// <summary>Insert <paramref name="r"/> right before <paramref name="next"/>.</summary>
    public void InsertBefore(Region next, Region r)
    {
        if (next.Prev is null)
        {
            r.Prev = null;
            r.Next = next;
            next.Prev = r;
            _first = r;
            NrRegions++;
            return;
        }
        InsertAfter(next.Prev, r);
    }

    /// <summary>damon_destroy_region: unlink and recycle.</summary>
    public void DestroyRegion(Region r)
    {
        if (r.Prev is null) _first = r.Next; else r.Prev.Next = r.Next;
        if (r.Next is null) _last = r.Prev; else r.Next.Prev = r.Prev;
        NrRegions--;
        r.Prev = null;
        r.Next = _free;
        _free = r;
    }

    /// <summary>Destroy every region (damon_destroy_target's region part).</summary>
    public void ClearRegions()
    {
        while (_first is not null)
            DestroyRegion(_first);
    }

    /// <summary>damon_is_last_region.</summary>
    public bool IsLastRegion(Region r) => ReferenceEquals(r, _last);

    /// <summary>Sum of region sizes.</summary>
    public ulong TotalSize()
    {
        ulong sz = 0;
        for (var r = _first; r is not null; r = r.Next)
            sz += r.Size;
        return sz;
    }

    /// <summary>Allocation-free enumeration of the regions in address order.</summary>
    public RegionEnumerable Regions => new(_first);

    public override string ToString() => $"target pid={Pid} nr_regions={NrRegions}";
}

public readonly struct RegionEnumerable(Region? first) : IEnumerable<Region>
{
    public RegionEnumerator GetEnumerator() => new(first);
    IEnumerator<Region> IEnumerable<Region>.GetEnumerator() => GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Walks by the next pointer captured before the current region is handed out, like
/// damon_for_each_region_safe: the current region may be destroyed, and pieces split off right
/// after it are not visited.
/// </summary>
public struct RegionEnumerator(Region? first) : IEnumerator<Region>
{
    private Region? _next = first;
    private Region? _current;

    public readonly Region Current => _current!;
    readonly object IEnumerator.Current => Current;

    public bool MoveNext()
    {
        _current = _next;
        if (_current is null) return false;
        _next = _current.Next;
        return true;
    }

    public void Reset() => throw new NotSupportedException("RegionEnumerator is forward-only.");
    public readonly void Dispose() { }
}
