using Damon.Records.Model;

namespace Damon.Records.Reports;

/// <summary>Per-region and per-snapshot quantities damo's access reports are built from.</summary>
public static class AccessMetrics
{
    public static readonly IReadOnlyList<double> DefaultTemperatureWeights = [0, 100, 100];

    /// <summary>
    /// Weighted sum of size, access rate (percent) and age (us), negated for regions with no
    /// access so that long-idle memory is the coldest.
    /// </summary>
    public static double Temperature(DamonRegion region, IReadOnlyList<double> weights) =>
        Temperature(region.Sz, region, weights);

    /// <summary>Temperature of a region clipped to a smaller (possibly fractional) size.</summary>
    public static double Temperature(double sz, DamonRegion region, IReadOnlyList<double> weights)
    {
        double percent = region.NrAccessesPercent ?? 0;
        double score = sz * weights[0] + percent * weights[1] + (region.AgeUsec ?? 0) * weights[2];
        return percent > 0 ? score : -score;
    }

    /// <summary>Sampling and aggregation interval (us) of a snapshot, following intervals auto-tuning.</summary>
    public static (double SampleUs, double AggrUs) SnapshotIntervals(DamonSnapshot snapshot, DamonIntervals intervals)
    {
        // Zero intervals (the kernel accepts them) follow DamonIntervals' 1 µs rule, so no division is by zero.
        double aggrSampleRatio = intervals.SamplesPerAggr;
        if (!intervals.Goal.Enabled) return (Math.Max(intervals.SampleUs, 1), intervals.EffectiveAggrUs);
        if (snapshot.SampleIntervalUs is long sampleUs)
            return (sampleUs, sampleUs * aggrSampleRatio);
        double snapshotAggrUs = (snapshot.EndTimeNs - snapshot.StartTime).AsDouble / 1000;
        double recordAggrUs = intervals.EffectiveAggrUs;
        // Within 10% of the configured interval, show the configured (round) number.
        if (Math.Abs(snapshotAggrUs - recordAggrUs) / recordAggrUs < 0.1)
            return (Math.Max(intervals.SampleUs, 1), recordAggrUs);
        return (snapshotAggrUs / aggrSampleRatio, snapshotAggrUs);
    }

    public static double AggrUs(DamonSnapshot snapshot, DamonIntervals intervals) => SnapshotIntervals(snapshot, intervals).AggrUs;

    public static double AccessHz(DamonRegion region, double aggrUs) => (region.NrAccessesSamples ?? 0) / (aggrUs / 1000000);

    /// <summary>0 for a region accessed in the last interval, else how long it has been idle.</summary>
    public static double IdleTimeUs(DamonRegion region, double aggrUs) =>
        (region.NrAccessesPercent ?? 0) > 0 ? 0 : (region.AgeUsec ?? 0) + aggrUs;

    /// <summary>Sum of size x nr_accesses over the aggregation interval, in bytes per second.</summary>
    public static double EstimatedMemBwBytesPerSec(DamonSnapshot snapshot, DamonIntervals intervals, bool filterPassedOnly)
    {
        Int128 accessBytes = 0;
        foreach (var region in snapshot.Regions)
        {
            long sz = filterPassedOnly ? region.SzFilterPassed ?? 0 : region.Sz;
            accessBytes += (Int128)sz * (region.NrAccessesSamples ?? 0);
        }
        return (double)accessBytes / (AggrUs(snapshot, intervals) / 1000000);
    }
}
