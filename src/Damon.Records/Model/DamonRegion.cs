namespace Damon.Records.Model;

/// <summary>
/// One monitoring region [Start, End) of a snapshot. damo stores nr_accesses either in samples or
/// in percent and age either in aggregation intervals or in microseconds; whichever the source
/// carried is kept and the other stays null until <see cref="Resolve"/> derives it.
/// </summary>
public sealed class DamonRegion
{
    public long Start { get; set; }
    public long End { get; set; }
    public long? NrAccessesSamples { get; set; }
    public double? NrAccessesPercent { get; set; }
    public long? AgeAggrIntervals { get; set; }
    public double? AgeUsec { get; set; }
    public List<long> ProbeHits { get; set; } = [];
    /// <summary>Bytes of the region that passed the snapshot's DAMOS filters (0 when no filter ran).</summary>
    public long? SzFilterPassed { get; set; } = 0;
    /// <summary>Who made the counted accesses; null when the record does not carry it (page_table records, damo's).</summary>
    public DamonAccessBreakdown? AccessesBy { get; set; }

    public DamonRegion() { }

    public DamonRegion(long start, long end, long? nrAccessesSamples, long? ageAggrIntervals, long? szFilterPassed = 0)
    {
        Start = start;
        End = end;
        NrAccessesSamples = nrAccessesSamples;
        AgeAggrIntervals = ageAggrIntervals;
        SzFilterPassed = szFilterPassed;
    }

    public long Sz => End - Start;

    public DamonRegion Clone() => new()
    {
        Start = Start,
        End = End,
        NrAccessesSamples = NrAccessesSamples,
        NrAccessesPercent = NrAccessesPercent,
        AgeAggrIntervals = AgeAggrIntervals,
        AgeUsec = AgeUsec,
        ProbeHits = [.. ProbeHits],
        SzFilterPassed = SzFilterPassed,
        AccessesBy = AccessesBy?.Clone(),
    };

    /// <summary>
    /// Fills in the unit the source did not carry, the way damo does (percent and aggregation
    /// intervals are truncated to integers), so reports show the same numbers as damo.
    /// </summary>
    public void Resolve(DamonIntervals? intervals)
    {
        if (intervals is null) return;
        double maxSamples = intervals.SamplesPerAggr;
        if (NrAccessesSamples is null && NrAccessesPercent is double percent)
            NrAccessesSamples = (long)(percent * maxSamples / 100);
        if (NrAccessesPercent is null && NrAccessesSamples is long samples)
            NrAccessesPercent = Math.Truncate(samples * 100.0 / maxSamples);
        if (AgeUsec is null && AgeAggrIntervals is long aggrs)
            AgeUsec = (double)aggrs * intervals.EffectiveAggrUs;
        else if (AgeAggrIntervals is null && AgeUsec is double usec)
            AgeAggrIntervals = (long)(usec / intervals.EffectiveAggrUs);
    }

    public override string ToString() => $"{Start}-{End}: {NrAccessesSamples} {AgeAggrIntervals}";
}
