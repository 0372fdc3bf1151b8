using Damon.Config.Schema;

namespace Damon.Linux.Sysfs;

/// <summary>
/// damo's DamosAccessPattern.converted_for_units(samples, aggr_intervals): the sysfs access_pattern
/// files hold nr_accesses in samples and age in aggregation intervals, as unsigned longs.
/// </summary>
public static class SysfsAccessPattern
{
    /// <summary>int(percent × (aggr / sample) / 100) and int(usec / aggr) in doubles, as damo computes them, then min(v, ULONG_MAX).</summary>
    public static (ulong NrMin, ulong NrMax, ulong AgeMin, ulong AgeMax) ToKernelUnits(AccessPatternSpec ap, IntervalsSpec iv)
    {
        double maxNr = (double)iv.AggrUs / iv.SampleUs;
        ulong Nr(double v) => ap.NrAccessesUnit == NrAccessesUnit.Samples ? Clamp(v) : Clamp(Math.Truncate(v * maxNr / 100));
        ulong Age(ulong v) => ap.AgeUnit == AgeUnit.AggrIntervals ? v : Clamp(Math.Truncate((double)v / iv.AggrUs));
        return (Nr(ap.NrAccessesMin), Nr(ap.NrAccessesMax), Age(ap.AgeMin), Age(ap.AgeMax));
    }

    private static ulong Clamp(double v) => v >= 18446744073709551615.0 ? ulong.MaxValue : v <= 0 ? 0 : (ulong)v;

    /// <summary>The kernel's access pattern back in damo's reading units (samples, aggregation intervals).</summary>
    public static AccessPatternSpec FromKernelUnits(ulong szMin, ulong szMax, ulong nrMin, ulong nrMax, ulong ageMin, ulong ageMax) => new()
    {
        SzMin = szMin,
        SzMax = szMax,
        NrAccessesUnit = NrAccessesUnit.Samples,
        NrAccessesMin = nrMin,
        NrAccessesMax = nrMax,
        AgeUnit = AgeUnit.AggrIntervals,
        AgeMin = ageMin,
        AgeMax = ageMax,
    };
}
