using Damon.Core.Util;

namespace Damon.Core.Monitoring;

public static partial class DamonCore
{
    /// <summary>damon_valid_intervals_goal.</summary>
    private static void ValidateIntervalsGoal(MonitoringAttrs attrs)
    {
        var goal = attrs.IntervalsGoal;
        if (goal.Aggrs == 0)
            return;
        if (goal.MinSampleUs > goal.MaxSampleUs)
            throw new DamonException(Errno.EINVAL,
                $"intervals_goal.min_sample_us ({goal.MinSampleUs}) > max_sample_us ({goal.MaxSampleUs})");
        if (attrs.SampleIntervalUs < goal.MinSampleUs || attrs.SampleIntervalUs > goal.MaxSampleUs)
            throw new DamonException(Errno.EINVAL,
                $"sample_interval ({attrs.SampleIntervalUs} us) outside intervals_goal [{goal.MinSampleUs}, {goal.MaxSampleUs}] us");
    }

    /// <summary>Everything damon_set_attrs rejects with -EINVAL, without changing anything.</summary>
    public static void ValidateAttrs(MonitoringAttrs attrs)
    {
        ValidateIntervalsGoal(attrs);
        attrs.SampleControl.Validate();
        if (attrs.MinNrRegions < 3)
            throw new DamonException(Errno.EINVAL, $"min_nr_regions ({attrs.MinNrRegions}): must be at least 3");
        if (attrs.MinNrRegions > attrs.MaxNrRegions)
            throw new DamonException(Errno.EINVAL,
                $"min_nr_regions ({attrs.MinNrRegions}): must not exceed max_nr_regions ({attrs.MaxNrRegions})");
        if (attrs.SampleIntervalUs > attrs.AggrIntervalUs)
            throw new DamonException(Errno.EINVAL,
                $"sample_interval ({attrs.SampleIntervalUs} us): must not exceed aggr_interval ({attrs.AggrIntervalUs} us)");
    }

    /// <summary>
    /// damon_set_attrs: validate, reschedule aggregation, ops update and scheme application from
    /// now, and convert every region's results to the new window length.
    /// </summary>
    public static void SetAttrs(DamonContext ctx, MonitoringAttrs attrs)
    {
        ValidateAttrs(attrs);
        ulong sample = Math.Max(attrs.SampleIntervalUs, 1);
        bool aggregating = ctx.PassedSampleIntervals < ctx.NextAggregationSis;

        // Callers outside the core leave this 0; interval tuning passes the kept value.
        if (attrs.AggrSamples == 0)
            attrs = attrs with { AggrSamples = attrs.AggrIntervalUs / sample };

        ctx.NextAggregationSis = ctx.PassedSampleIntervals + attrs.AggrIntervalUs / sample;
        ctx.NextOpsUpdateSis = ctx.PassedSampleIntervals + attrs.OpsUpdateIntervalUs / sample;

        UpdateMonitoringResults(ctx, attrs, aggregating);
        ctx.Attrs = attrs;

        foreach (var s in ctx.Schemes)
            Schemes.DamosCore.SetNextApplySis(s, ctx);
    }

    private static void UpdateMonitoringResults(DamonContext ctx, MonitoringAttrs newAttrs, bool aggregating)
    {
        var oldAttrs = ctx.Attrs;
        // A zero interval has no meaningful window to convert from or to.
        if (oldAttrs.SampleIntervalUs == 0 || oldAttrs.AggrIntervalUs == 0
            || newAttrs.SampleIntervalUs == 0 || newAttrs.AggrIntervalUs == 0)
            return;
        foreach (var t in ctx.Targets)
            for (var r = t.FirstRegion; r is not null; r = r.NextRegion)
                UpdateMonitoringResult(r, oldAttrs, newAttrs, aggregating);
    }

    /// <summary>nr_accesses → basis points of the window (damon_nr_accesses_to_accesses_bp).</summary>
    public static ulong NrAccessesToAccessesBp(ulong nrAccesses, MonitoringAttrs attrs)
        => KernelMath.MultFrac(nrAccesses, 10000, NrSamplesPerAggr(attrs));

    /// <summary>Basis points of the window → nr_accesses (damon_accesses_bp_to_nr_accesses).</summary>
    public static ulong AccessesBpToNrAccesses(ulong accessesBp, MonitoringAttrs attrs)
        => accessesBp * NrSamplesPerAggr(attrs) / 10000;

    private static uint ConvertNrAccesses(uint n, MonitoringAttrs oldAttrs, MonitoringAttrs newAttrs)
        => (uint)AccessesBpToNrAccesses(NrAccessesToAccessesBp(n, oldAttrs), newAttrs);

    /// <summary>
    /// damon_update_monitoring_result: keep each region's access frequency and age in time units
    /// when the window length changes. A window that is still open restarts its count.
    /// </summary>
    public static void UpdateMonitoringResult(Region r, MonitoringAttrs oldAttrs, MonitoringAttrs newAttrs, bool aggregating)
    {
        r.LastNrAccesses = ConvertNrAccesses(r.LastNrAccesses, oldAttrs, newAttrs);
        r.NrAccesses = aggregating ? 0 : ConvertNrAccesses(r.NrAccesses, oldAttrs, newAttrs);
        for (int i = 0; i < Region.MaxProbes; i++)
        {
            r.LastProbeHits[i] = (byte)ConvertNrAccesses(r.LastProbeHits[i], oldAttrs, newAttrs);
            r.ProbeHits[i] = aggregating ? (byte)0 : (byte)ConvertNrAccesses(r.ProbeHits[i], oldAttrs, newAttrs);
        }
        if (r.AccessesBy is { } by)
        {
            if (aggregating)
                by.Clear();
            else
                by.Rescale(ConvertNrAccesses(by.NrAttributed, oldAttrs, newAttrs));
        }
        r.Age = (uint)((ulong)r.Age * oldAttrs.AggrIntervalUs / newAttrs.AggrIntervalUs);
        RegionOwnAges.Rescale(r, oldAttrs.AggrIntervalUs, newAttrs.AggrIntervalUs);
    }
}
