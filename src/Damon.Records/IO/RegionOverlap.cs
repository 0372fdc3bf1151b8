using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// One target's regions never overlap. They need not be sorted: damo's adjust appends the pieces
/// it splits off at the end of the list, so readers accept any order.
/// </summary>
internal static class RegionOverlap
{
    /// <summary>Indexes of the first overlapping pair (by start address), the earlier in the list first; null if none.</summary>
    public static (int Earlier, int Later)? Find(IReadOnlyList<DamonRegion> regions)
    {
        if (regions.Count < 2) return null;
        // Writers list regions in address order: non-empty regions each starting at or after the
        // previous end are already sorted and disjoint, which one scan tells without sorting.
        bool inOrder = regions[0].End > regions[0].Start;
        for (int k = 1; k < regions.Count && inOrder; k++)
            inOrder = regions[k].End > regions[k].Start && regions[k].Start >= regions[k - 1].End;
        if (inOrder) return null;
        var order = Enumerable.Range(0, regions.Count).ToArray();
        Array.Sort(order, (a, b) => regions[a].Start != regions[b].Start ? regions[a].Start.CompareTo(regions[b].Start) : a.CompareTo(b));
        for (int k = 1; k < order.Length; k++)
        {
            if (regions[order[k]].Start < regions[order[k - 1]].End)
                return (Math.Min(order[k - 1], order[k]), Math.Max(order[k - 1], order[k]));
        }
        return null;
    }

    public static string Describe(DamonRegion r) => $"[{r.Start}, {r.End})";
}
