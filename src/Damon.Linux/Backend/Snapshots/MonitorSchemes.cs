using Damon.Config.Schema;
using Damon.Linux.Sysfs;

namespace Damon.Linux.Backend.Snapshots;

/// <summary>
/// The live-snapshot schemes the backend adds after a context's own schemes: action stat,
/// matching every region, apply interval 0 — the aggregation interval, also after interval
/// tuning — so each update_schemes_tried_regions reports the regions of one complete
/// aggregation window (damo's snapshot scheme applies every sampling interval instead, and
/// reports a partial window's moving sum). One scheme per target, each with a target filter
/// rejecting the other targets, when the context has several: tried_regions does not say which
/// target a region belongs to.
/// </summary>
public static class MonitorSchemes
{
    public static int CountFor(int nrTargets) => Math.Max(nrTargets, 1);

    public static SchemeSpec For(int targetIdx, int nrTargets)
    {
        var s = new SchemeSpec
        {
            Action = "stat",
            ApplyIntervalUs = 0,
            AccessPattern = SysfsAccessPattern.FromKernelUnits(0, ulong.MaxValue, 0, ulong.MaxValue, 0, ulong.MaxValue),
        };
        if (nrTargets > 1)
            s.Filters.Add(new FilterSpec { FilterType = "target", Matching = false, Allow = false, DamonTargetIdx = (ulong)targetIdx });
        return s;
    }

    /// <summary>
    /// <paramref name="ctx"/> with the monitoring schemes after <paramref name="keptSchemes"/>
    /// (the context's own in kernel mode, none in user mode). The spec itself is not changed.
    /// </summary>
    public static ContextSpec With(ContextSpec ctx, IReadOnlyList<SchemeSpec> keptSchemes)
    {
        int n = ctx.Targets.Count;
        var schemes = new List<SchemeSpec>(keptSchemes);
        for (int i = 0; i < CountFor(n); i++)
            schemes.Add(For(i, n));
        return new ContextSpec
        {
            Ops = ctx.Ops, AddrUnit = ctx.AddrUnit, Targets = ctx.Targets, Intervals = ctx.Intervals, NrRegions = ctx.NrRegions,
            Probes = ctx.Probes, SampleControl = ctx.SampleControl, Pause = ctx.Pause, Schemes = schemes,
        };
    }

    /// <summary>
    /// The regions of each target, from the tried regions of the monitoring schemes starting at
    /// scheme <paramref name="firstIdx"/>, after an update_schemes_tried_regions.
    /// </summary>
    public static KernelAggregation Read(KdamondsSysfsReader reader, int k, int c, int firstIdx, int nrTargets, ulong timeNs,
        List<TriedRegionValues> scratch)
    {
        var targets = new List<IReadOnlyList<KernelRegion>>(Math.Max(nrTargets, 1));
        for (int i = 0; i < CountFor(nrTargets); i++)
        {
            reader.ReadTriedRegions(KdamondsSysfsReader.TriedRegionsDir(k, c, firstIdx + i), scratch, withFilterPassed: false);
            var regions = new KernelRegion[scratch.Count];
            for (int j = 0; j < scratch.Count; j++)
            {
                var r = scratch[j];
                regions[j] = new KernelRegion(r.Start, r.End, (uint)Math.Min(r.NrAccesses, uint.MaxValue), (uint)Math.Min(r.Age, uint.MaxValue));
            }
            targets.Add(regions);
        }
        return new KernelAggregation(timeNs, targets);
    }
}
