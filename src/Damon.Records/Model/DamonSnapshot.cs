namespace Damon.Records.Model;

/// <summary>The regions DAMON reported at the end of one aggregation (or snapshot) interval.</summary>
public sealed class DamonSnapshot
{
    private long _startTimeNs;

    /// <summary>Start time; for traces (which store only end times) the truncated inferred value.</summary>
    public long StartTimeNs
    {
        get => _startTimeNs;
        set
        {
            _startTimeNs = value;
            InferredStartTimeNs = null;
        }
    }

    /// <summary>
    /// The fractional start time inferred for the first snapshot of a trace (previous end times
    /// are unknown there), kept because damo computes and prints with that float.
    /// </summary>
    public double? InferredStartTimeNs { get; private set; }

    public void SetInferredStartTime(double startTimeNs)
    {
        _startTimeNs = (long)Math.Truncate(startTimeNs);
        InferredStartTimeNs = startTimeNs;
    }

    /// <summary>Start time with damo's int-or-float semantics.</summary>
    public Text.PyNum StartTime => InferredStartTimeNs is double d ? Text.PyNum.Float(d) : Text.PyNum.Int(_startTimeNs);
    public long EndTimeNs { get; set; }
    public List<DamonRegion> Regions { get; set; } = [];
    /// <summary>Stats of the DAMOS scheme that retrieved the snapshot, when recorded.</summary>
    public DamosStats? DamosStats { get; set; }
    /// <summary>Sampling interval in force for this snapshot when intervals auto-tuning changed it.</summary>
    public long? SampleIntervalUs { get; set; }

    public DamonSnapshot() { }

    public DamonSnapshot(long startTimeNs, long endTimeNs, List<DamonRegion> regions)
    {
        StartTimeNs = startTimeNs;
        EndTimeNs = endTimeNs;
        Regions = regions;
    }

    /// <summary>
    /// total_bytes as recorded. damo keeps it when access-pattern filters drop regions (so
    /// "total size" still tells the monitored total) and recomputes it only for address filters;
    /// null means "the sum of the region sizes".
    /// </summary>
    public long? TotalBytes { get; set; }

    public long TotalSz => TotalBytes ?? RegionsSz;

    public long RegionsSz
    {
        get
        {
            long sz = 0;
            foreach (var region in Regions) sz += region.Sz;
            return sz;
        }
    }

    public DamonSnapshot Clone()
    {
        var copy = new DamonSnapshot
        {
            StartTimeNs = StartTimeNs,
            EndTimeNs = EndTimeNs,
            Regions = Regions.ConvertAll(r => r.Clone()),
            TotalBytes = TotalBytes,
            DamosStats = DamosStats,
            SampleIntervalUs = SampleIntervalUs,
        };
        if (InferredStartTimeNs is double inferred) copy.SetInferredStartTime(inferred);
        return copy;
    }
}
