using Damon.Core.Monitoring;
using Damon.Sim.Machine;
using Damon.Sim.Memory;

namespace Damon.Sim.GroundTruth;

/// <summary>Precision and recall of a predicted hot set against the true one, by bytes.</summary>
public readonly record struct HotSetScore(ulong TrueHotBytes, ulong PredictedHotBytes, ulong CorrectBytes)
{
    /// <summary>Of the bytes called hot, the share that was hot (1 when nothing was called hot).</summary>
    public double Precision => PredictedHotBytes == 0 ? 1 : (double)CorrectBytes / PredictedHotBytes;
    /// <summary>Of the hot bytes, the share that was called hot (1 when nothing was hot).</summary>
    public double Recall => TrueHotBytes == 0 ? 1 : (double)CorrectBytes / TrueHotBytes;
}

/// <summary>
/// Scores DAMON's view of one target against a ground-truth window. Pages are resident pages of
/// the target (vaddr: the process's; paddr: frames in the region). "Truly hot" means accessed at
/// least <c>minPageAccesses</c> times in the window.
/// </summary>
public static class AccuracyScore
{
    /// <summary>
    /// Hot-set precision/recall for a vaddr target: <paramref name="isHot"/> says which regions
    /// DAMON calls hot (e.g. nr_accesses ≥ some threshold).
    /// </summary>
    public static HotSetScore HotSet(SimMachine m, AccessWindow w, int pid, Target t, Func<Region, bool> isHot, uint minPageAccesses = 1)
    {
        ulong trueHot = 0, predicted = 0, correct = 0;
        var p = m.Process(pid);
        foreach (var vma in p.Vmas)
            trueHot += HotBytes(p, w, vma.Start, vma.End, minPageAccesses, out _);
        for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
        {
            if (!isHot(r))
                continue;
            correct += HotBytes(p, w, r.Start, r.End, minPageAccesses, out ulong resident);
            predicted += resident;
        }
        return new HotSetScore(trueHot, predicted, correct);
    }

    /// <summary>
    /// Size-weighted mean absolute error of region access rates, as a fraction of the maximum
    /// (<paramref name="nrSamples"/> samples per window). A page accessed c times in a window of S
    /// sample intervals, its accesses spread at random, is found accessed by a sample with
    /// probability 1 − (1 − 1/S)^c, so a region's expected nr_accesses is S times the mean of that
    /// over its resident pages (absent pages count as never accessed).
    /// </summary>
    public static double RegionRateError(SimMachine m, AccessWindow w, int pid, Target t, uint nrSamples, Func<Region, uint>? observed = null)
    {
        observed ??= static r => r.NrAccesses;
        var p = m.Process(pid);
        double errSum = 0, sizeSum = 0;
        double q = 1 - 1.0 / Math.Max(nrSamples, 1);
        for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
        {
            double probSum = 0;
            ulong nrPages = r.Size >> PageSizes.PageShift;
            if (nrPages == 0) continue;
            for (ulong a = r.Start & ~(PageSizes.PageSize - 1); a < r.End; a += PageSizes.PageSize)
            {
                uint e = p.PageTable.Get(a >> PageSizes.PageShift);
                if (e == 0 || e >= PageTable.SwapBit) { if (e == 0) a = SkipEmptyLeaf(p, a, r.End); continue; }
                ushort c = w.Count(e - 1);
                if (c != 0) probSum += 1 - Math.Pow(q, c);
            }
            double expected = nrSamples * probSum / nrPages;
            errSum += Math.Abs(observed(r) - expected) / Math.Max(nrSamples, 1) * r.Size;
            sizeSum += r.Size;
        }
        return sizeSum == 0 ? 0 : errSum / sizeSum;
    }

    private static ulong HotBytes(SimProcess p, AccessWindow w, ulong start, ulong end, uint minPageAccesses, out ulong residentBytes)
    {
        ulong hot = 0;
        residentBytes = 0;
        for (ulong a = start & ~(PageSizes.PageSize - 1); a < end; a += PageSizes.PageSize)
        {
            uint e = p.PageTable.Get(a >> PageSizes.PageShift);
            if (e == 0 || e >= PageTable.SwapBit) { if (e == 0) a = SkipEmptyLeaf(p, a, end); continue; }
            residentBytes += PageSizes.PageSize;
            if (w.Count(e - 1) >= minPageAccesses) hot += PageSizes.PageSize;
        }
        return hot;
    }

    /// <summary>If the page-table leaf of <paramref name="a"/> does not exist, the last page before the next leaf.</summary>
    private static ulong SkipEmptyLeaf(SimProcess p, ulong a, ulong end)
    {
        ulong key = a >> (PageSizes.PageShift + PageTable.LeafShift);
        if (p.PageTable.Leaf(key) is not null)
            return a;
        ulong next = (key + 1) << (PageSizes.PageShift + PageTable.LeafShift);
        return Math.Min(next, end) - PageSizes.PageSize;
    }
}
