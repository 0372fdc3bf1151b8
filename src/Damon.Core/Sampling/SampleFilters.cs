namespace Damon.Core.Sampling;

public static class SampleFilters
{
    /// <summary>
    /// Whether the sample filters drop <paramref name="report"/>, by the DAMOS filter rule
    /// (damos_core_filter_out, damon-spec §3.8): the first filter that matches decides (drop iff
    /// it does not allow); when none matches, the report gets the opposite of the last filter's
    /// allow; no filters keep everything. The RFC's revision instead drops on any matching reject
    /// filter and otherwise iff the last filter rejects, so a list of only reject filters drops
    /// every report (docs/kernel-differences.md).
    /// </summary>
    public static bool FilterOut(IReadOnlyList<DamonSampleFilter> filters, in DamonAccessReport report)
    {
        int n = filters.Count;
        for (int i = 0; i < n; i++)
        {
            var f = filters[i];
            if (f.Matches(report))
                return !f.Allow;
        }
        return n != 0 && filters[n - 1].Allow;
    }
}
