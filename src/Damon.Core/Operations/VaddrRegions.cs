using Damon.Core.Monitoring;
using Damon.Core.Util;

namespace Damon.Core.Operations;

/// <summary>
/// vaddr's initial-region logic, shared by every backend that monitors a process's virtual
/// address space (the simulated machine and real Linux).
/// </summary>
public static class VaddrRegions
{
    /// <summary>
    /// damon_va_three_regions of one target on one backend: false (no regions) when the target's
    /// mappings have fewer than two gaps or the target is gone.
    /// </summary>
    public delegate bool ThreeRegionsOf(Target t, ulong minSz, Span<AddrRange> regions);

    /// <summary>damon_va_init: targets that have no regions yet start from their three regions.</summary>
    public static void Init(DamonContext ctx, ThreeRegionsOf threeRegions)
    {
        Span<AddrRange> three = stackalloc AddrRange[3];
        foreach (var t in ctx.Targets)
            if (t.NrRegions == 0 && threeRegions(t, ctx.MinRegionSz, three))
                DamonCore.SetRegions(t, three, ctx.MinRegionSz);
    }

    /// <summary>
    /// damon_va_update: every target's regions follow its current three regions (damon_set_regions
    /// keeps the monitoring results of the parts that stay).
    /// </summary>
    public static void Update(DamonContext ctx, ThreeRegionsOf threeRegions)
    {
        Span<AddrRange> three = stackalloc AddrRange[3];
        foreach (var t in ctx.Targets)
            if (threeRegions(t, ctx.MinRegionSz, three))
                DamonCore.SetRegions(t, three, ctx.MinRegionSz);
    }

    /// <summary>
    /// __damon_va_three_regions: a process's mappings cluster into heap, mmap area and stack, with
    /// two huge unmapped gaps between them. Monitoring the gaps would waste regions, so cut them
    /// out: the two largest gaps between consecutive VMAs separate three regions.
    /// <code>
    ///   [heap ...]   &lt;big gap&gt;   [mmap ... ]   &lt;big gap&gt;   [stack]
    ///   [ region 0 ]                [ region 1 ]                [region 2]
    /// </code>
    /// <paramref name="vmas"/> must be sorted and non-overlapping. Returns false (no regions) when
    /// fewer than two gaps exist. Boundaries are aligned up to <paramref name="minSz"/>.
    /// </summary>
    public static bool ThreeRegionsInVmas(ReadOnlySpan<AddrRange> vmas, ulong minSz, Span<AddrRange> regions)
    {
        AddrRange first = default, second = default; // largest, second largest gap
        ulong start = 0, prevEnd = 0;
        for (int i = 0; i < vmas.Length; i++)
        {
            if (i == 0)
            {
                start = vmas[i].Start;
            }
            else
            {
                ulong gap = vmas[i].Start - prevEnd;
                if (gap > first.Size)
                {
                    second = first;
                    first = new AddrRange(prevEnd, vmas[i].Start);
                }
                else if (gap > second.Size)
                {
                    second = new AddrRange(prevEnd, vmas[i].Start);
                }
            }
            prevEnd = vmas[i].End;
        }
        if (first.Size == 0 || second.Size == 0)
            return false;

        if (first.Start > second.Start)
            (first, second) = (second, first);

        regions[0] = new AddrRange(KernelMath.AlignUp(start, minSz), KernelMath.AlignUp(first.Start, minSz));
        regions[1] = new AddrRange(KernelMath.AlignUp(first.End, minSz), KernelMath.AlignUp(second.Start, minSz));
        regions[2] = new AddrRange(KernelMath.AlignUp(second.End, minSz), KernelMath.AlignUp(prevEnd, minSz));
        return true;
    }

    /// <summary>
    /// damon_va_evenly_split_region: cut <paramref name="r"/> into <paramref name="nrPieces"/> equal
    /// pieces aligned to <paramref name="minSz"/>, the last one taking the remainder. -EINVAL for
    /// zero pieces or pieces smaller than <paramref name="minSz"/>; the region is then unchanged.
    /// </summary>
    public static void EvenlySplitRegion(Target t, Region? r, uint nrPieces, ulong minSz)
    {
        if (r is null || nrPieces == 0)
            throw new DamonException(Errno.EINVAL, "evenly split: needs a region and at least one piece");
        if (nrPieces == 1)
            return;
        ulong origEnd = r.End;
        ulong szPiece = KernelMath.AlignDown(r.Size / nrPieces, minSz);
        if (szPiece == 0)
            throw new DamonException(Errno.EINVAL,
                $"evenly split: {r.Range} into {nrPieces} pieces leaves pieces smaller than {minSz} bytes");

        r.End = r.Start + szPiece;
        var prev = r;
        ulong start = r.End;
        for (uint i = 1; i < nrPieces; i++, start += szPiece)
        {
            var n = t.NewRegion(start, start + szPiece);
            t.InsertAfter(prev, n);
            prev = n;
        }
        // The last piece absorbs the remainder the alignment left.
        prev.End = origEnd;
    }
}
