using Damon.Core.Monitoring;
using Damon.Core.Operations;

namespace Damon.Core.Sampling;

/// <summary>
/// The access-reporting RFC's core (damon-spec §5): sources report accesses with
/// <see cref="ReportAccess"/>; when the context's primitive is page_fault, the kdamond folds them
/// into its regions once per sample with <see cref="KdamondCheckReportedAccesses"/> instead of
/// calling ops.check_accesses.
/// </summary>
public static class DamonReports
{
    /// <summary>
    /// damon_report_access: buffer <paramref name="report"/> for <paramref name="ctx"/>, stamped
    /// with the context's clock now (report_jiffies). Never blocks; false if it was dropped.
    /// </summary>
    public static bool ReportAccess(DamonContext ctx, DamonAccessReport report) =>
        ctx.AccessReports.Report(report with { ReportTimeNs = ctx.Clock.NowNs });

    /// <summary>Whether <paramref name="ctx"/> folds reports by physical address (paddr) or by virtual address.</summary>
    public static bool FoldsPhysical(DamonContext ctx) => ctx.Ops is { Id: OperationsId.Paddr };

    /// <summary>
    /// kdamond_check_reported_accesses. Every buffered report not older than one sample interval
    /// (report time ≥ now − sample_interval) and not dropped by the sample filters counts for the
    /// region of each target that wholly contains [addr, addr + size); a region counts at most one
    /// access per sample (the RFC's access_reported mark), and every region no report reached
    /// counts a sample without access. paddr contexts fold on the physical address (in bytes;
    /// regions are in addr_unit units); vaddr and fvaddr contexts fold on the virtual address, for
    /// targets whose pid is the report's (any target when the report has no pid), as the later
    /// hack revisions do where the RFC's first returns 0 for them. Each counted access is also
    /// attributed to the CPU, thread and write flag of its report (<see cref="Region.AccessesBy"/>,
    /// beyond the RFC). Returns the largest nr_accesses.
    /// </summary>
    public static uint KdamondCheckReportedAccesses(DamonContext ctx)
    {
        var buffer = ctx.AccessReports;
        var reports = buffer.Drain();
        ulong nowNs = ctx.Clock.NowNs;
        ulong windowNs = ctx.Attrs.SampleIntervalUs * 1000;
        ulong oldestNs = nowNs > windowNs ? nowNs - windowNs : 0;
        var filters = ctx.Attrs.SampleControl.SampleFilters;
        bool physical = FoldsPhysical(ctx);
        ulong unit = Math.Max(ctx.AddrUnit, 1);

        var regions = RegionIndex.For(ctx);
        var reported = regions.Marks;
        ulong nrStale = 0, nrFiltered = 0, nrFolded = 0;
        foreach (ref readonly var report in reports)
        {
            if (report.ReportTimeNs < oldestNs)
            {
                nrStale++;
                continue;
            }
            if (SampleFilters.FilterOut(filters, report))
            {
                nrFiltered++;
                continue;
            }
            ulong addr = physical ? report.Paddr : report.Vaddr;
            // A zero size still names one byte, as damon_report_page_fault's size 1 does.
            ulong size = Math.Max(report.Size, 1);
            if (addr > ulong.MaxValue - size)
                continue;
            bool folded = false;
            for (int ti = 0; ti < ctx.Targets.Count; ti++)
            {
                var t = ctx.Targets[ti];
                if (!physical && report.Pid != 0 && report.Pid != t.Pid)
                    continue;
                int i = regions.Find(ti, addr, unit);
                if (i < 0)
                    continue;
                var r = regions.Regions[i];
                if ((UInt128)(addr + size) > (UInt128)r.End * unit)
                    continue;
                folded = true;
                if (!reported[i])
                {
                    DamonCore.UpdateRegionAccessRate(r, true);
                    // The breakdown attributes the report that made the region count: the first
                    // of the sample (in report order) to reach it. Later ones add nothing to
                    // nr_accesses, so attributing them too would make the breakdown count more
                    // than nr_accesses; the first is also the one the page-fault primitive
                    // reports at all (its fault removes the protection, so later accesses of the
                    // sample do not fault).
                    (r.AccessesBy ??= new RegionAccessBreakdown()).Count(report);
                    reported[i] = true;
                }
            }
            if (folded)
                nrFolded++;
        }
        buffer.CountFold(nrStale, nrFiltered, nrFolded);

        uint max = 0;
        for (int i = 0; i < regions.Count; i++)
        {
            var r = regions.Regions[i];
            if (reported[i])
                reported[i] = false;
            else
                DamonCore.UpdateRegionAccessRate(r, false);
            max = Math.Max(max, r.NrAccesses);
        }
        return max;
    }

    /// <summary>
    /// Every region of the context in one array, target by target in address order, so a report
    /// finds its region by binary search; kept per context and refilled each sample.
    /// </summary>
    internal sealed class RegionIndex
    {
        public Region[] Regions = [];
        public bool[] Marks = [];
        private int[] _targetStart = [];
        public int Count;

        public static RegionIndex For(DamonContext ctx)
        {
            var idx = ctx.ReportRegionIndex ??= new RegionIndex();
            idx.Fill(ctx);
            return idx;
        }

        private void Fill(DamonContext ctx)
        {
            int n = (int)ctx.NrRegions();
            if (Regions.Length < n)
            {
                Regions = new Region[n];
                Marks = new bool[n];
            }
            if (_targetStart.Length < ctx.Targets.Count + 1)
                _targetStart = new int[ctx.Targets.Count + 1];
            int k = 0;
            for (int ti = 0; ti < ctx.Targets.Count; ti++)
            {
                _targetStart[ti] = k;
                for (var r = ctx.Targets[ti].FirstRegion; r is not null; r = r.NextRegion)
                    Regions[k++] = r;
            }
            _targetStart[ctx.Targets.Count] = k;
            Count = k;
            Array.Clear(Regions, k, Regions.Length - k);
        }

        /// <summary>Index of target <paramref name="ti"/>'s region with start·unit ≤ addr &lt; end·unit, or -1.</summary>
        public int Find(int ti, ulong addr, ulong unit)
        {
            int lo = _targetStart[ti], hi = _targetStart[ti + 1] - 1;
            UInt128 a = addr;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                var r = Regions[mid];
                if (a < (UInt128)r.Start * unit)
                    hi = mid - 1;
                else if (a >= (UInt128)r.End * unit)
                    lo = mid + 1;
                else
                    return mid;
            }
            return -1;
        }
    }
}
