using Damon.Core.Util;

namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>damon_intersect: the region and the (unaligned) range share at least one address.</summary>
    private static bool Intersect(Region r, AddrRange re) => !(r.End <= re.Start || re.End <= r.Start);

    /// <summary>
    /// damon_set_regions: make the target's regions cover exactly <paramref name="ranges"/> (sorted,
    /// non-overlapping), keeping the monitoring results of regions that still intersect a range.
    /// Ranges are aligned outward to <paramref name="minSz"/>. Nothing changes if a range is invalid.
    /// </summary>
    public static void SetRegions(Target t, ReadOnlySpan<AddrRange> ranges, ulong minSz)
    {
        ulong prevEnd = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            ulong s = KernelMath.AlignDown(ranges[i].Start, minSz);
            ulong e = KernelMath.AlignUp(ranges[i].End, minSz);
            if (s >= e)
                throw new DamonException(Errno.EINVAL,
                    $"ranges[{i}] {ranges[i]}: empty after aligning to {minSz} bytes (start must be below end)");
            if (i > 0 && prevEnd > s)
                throw new DamonException(Errno.EINVAL,
                    $"ranges[{i}] {ranges[i]}: overlaps or precedes ranges[{i - 1}] after aligning to {minSz} bytes (ranges must be sorted and disjoint)");
            prevEnd = e;
        }

        // Drop regions that are out of every range.
        for (var r = t.FirstRegion; r is not null;)
        {
            var next = r.NextRegion;
            bool keep = false;
            foreach (var range in ranges)
            {
                if (Intersect(r, range)) { keep = true; break; }
            }
            if (!keep)
                t.DestroyRegion(r);
            r = next;
        }

        if (t.NrRegions == 0)
        {
            foreach (var range in ranges)
                t.AddRegion(t.NewRegion(KernelMath.AlignDown(range.Start, minSz), KernelMath.AlignUp(range.End, minSz)));
            return;
        }

        // One forward pass: each range either gets a new region or stretches the regions it
        // intersects to its aligned bounds and fills the holes between them.
        Region? cursor = t.FirstRegion;
        foreach (var range in ranges)
        {
            Region? first = null, last = null;
            for (; cursor is not null; cursor = cursor.NextRegion)
            {
                if (Intersect(cursor, range))
                {
                    first ??= cursor;
                    last = cursor;
                }
                if (cursor.Start >= range.End)
                    break;
            }
            if (first is null)
            {
                var newr = t.NewRegion(KernelMath.AlignDown(range.Start, minSz), KernelMath.AlignUp(range.End, minSz));
                if (cursor is null) t.AddRegion(newr); else t.InsertBefore(cursor, newr);
            }
            else
            {
                first.Start = KernelMath.AlignDown(range.Start, minSz);
                last!.End = KernelMath.AlignUp(range.End, minSz);
                FillRegionsHoles(t, first, last);
            }
        }
    }

    /// <summary>damon_fill_regions_holes: insert zero-stat regions into gaps between first..last.</summary>
    private static void FillRegionsHoles(Target t, Region first, Region last)
    {
        for (var r = first; r != last && r is not null;)
        {
            var next = r.NextRegion!;
            if (r.End != next.Start)
                t.InsertAfter(r, t.NewRegion(r.End, next.Start));
            r = next;
        }
    }

    /// <summary>
    /// damon_commit_target_regions: an empty source keeps the destination's regions; otherwise the
    /// source's regions, coalesced into maximal contiguous ranges, become the destination's ranges.
    /// </summary>
    public static void CommitTargetRegions(Target dst, Target src, ulong srcMinRegionSz)
    {
        if (src.NrRegions == 0)
            return;
        var ranges = new List<AddrRange>(src.NrRegions);
        foreach (var r in src.Regions)
        {
            if (ranges.Count > 0 && ranges[^1].End == r.Start)
                ranges[^1] = ranges[^1] with { End = r.End };
            else
                ranges.Add(r.Range);
        }
        SetRegions(dst, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ranges), srcMinRegionSz);
    }
}
