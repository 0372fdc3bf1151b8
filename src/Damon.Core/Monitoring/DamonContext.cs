using Damon.Core.Operations;
using Damon.Core.Probes;
using Damon.Core.Schemes;
using Damon.Core.Util;

namespace Damon.Core.Monitoring;

/// <summary>
/// damon_ctx: one monitoring context — its attributes, operations set, targets, schemes and probes,
/// plus the kdamond's private bookkeeping (counted in sample intervals, never in wall time).
/// </summary>
public sealed class DamonContext
{
    /// <summary>DAMON_MIN_REGION_SZ: PAGE_SIZE on common builds.</summary>
    public const ulong DefaultMinRegionSz = 4096;

    public DamonContext(ulong seed = 0)
    {
        Random = new DamonRandom(seed);
    }

    /// <summary>Set through <see cref="DamonCore.SetAttrs"/>, which validates and converts results.</summary>
    public MonitoringAttrs Attrs { get; internal set; } = MonitoringAttrs.Default with { AggrSamples = 20 };
    public DamonOperations? Ops { get; set; }
    /// <summary>Scale from core address units to real addresses (paddr only).</summary>
    public ulong AddrUnit { get; set; } = 1;
    /// <summary>Regions are aligned to, and never smaller than, this (a power of two).</summary>
    public ulong MinRegionSz { get; set; } = DefaultMinRegionSz;
    /// <summary>G2 pause: the kdamond keeps running damon_call requests but does no monitoring.</summary>
    public bool Pause { get; set; }
    /// <summary>
    /// The schemes belong to several modules sharing this context (DAMON-X; not in the kernel,
    /// docs/kernel-differences.md): in one apply round a region moved by one scheme (pageout,
    /// migrate_hot/cold applied to some bytes) is not offered to a later moving scheme, and an
    /// action restarts only the age its own module sees (<see cref="Schemes.Damos.AgeOwner"/>,
    /// <see cref="RegionOwnAges"/>), so one module's actions do not hide the region's idleness
    /// from another module's age-based pattern.
    /// </summary>
    public bool DamosShared { get; set; }

    public List<Target> Targets { get; } = [];
    public List<Damos> Schemes { get; } = [];
    public List<DamonProbe> Probes { get; } = [];

    /// <summary>ctx->rnd_state: per-context generator, so runs are reproducible from the seed.</summary>
    public DamonRandom Random { get; }

    /// <summary>
    /// Access reports waiting for this context's kdamond (damon_report_access; see
    /// <see cref="Sampling.DamonReports"/>). Folded each sample when the sample control's primitive is page_fault.
    /// </summary>
    public Sampling.DamonAccessReportBuffer AccessReports { get; set; } = new();

    /// <summary>kdamond_check_reported_accesses' region lookup, reused between samples.</summary>
    internal Sampling.DamonReports.RegionIndex? ReportRegionIndex;

    /// <summary>Node/memcg/LRU/PSI readings for quota goals and watermarks; supplied by the backend.</summary>
    public IDamonMetrics? Metrics { get; set; }

    /// <summary>Monotonic time for DAMOS quota windows and charge timing; driven by the driver.</summary>
    public IDamonClock Clock { get; set; } = ZeroClock.Instance;

    /// <summary>
    /// The damon_aggregated tracepoint: called at each aggregation boundary, before the window is
    /// reset, when every region's nr_accesses holds the complete window. Recorders hook here.
    /// </summary>
    public Action<DamonContext>? Aggregated { get; set; }

    // kdamond-private state (damon_ctx private fields)
    public ulong PassedSampleIntervals { get; internal set; }
    public ulong NextAggregationSis { get; internal set; }
    public ulong NextOpsUpdateSis { get; internal set; }
    public ulong NextIntervalsTuneSis { get; internal set; }
    /// <summary>Set while a commit is in progress; a failed commit leaves it set and the kdamond exits.</summary>
    public bool MaybeCorrupted { get; internal set; }

    // kdamond_split_regions' function-static state; per context here (docs/kernel-differences.md).
    internal ulong SplitLastNrRegions;
    internal ulong SplitRotation;

    /// <summary>The 101-bucket score histogram DAMOS quotas use to find min_score.</summary>
    internal readonly ulong[] ScoreHistogram = new ulong[DamosQuota.MaxScore + 1];
    /// <summary>Per scheme, whether its core filters reject the apply round's current target (grown, never shrunk: no allocation per round).</summary>
    internal bool[] SchemeTargetRejected = [];

    internal readonly Lock WalkControlLock = new();
    internal DamosWalkControl? WalkControl;
    internal bool WalkControlObsolete;

    public ulong NrRegions()
    {
        ulong n = 0;
        foreach (var t in Targets) n += (ulong)t.NrRegions;
        return n;
    }

    /// <summary>damon_target index, as the `target` DAMOS filter counts it.</summary>
    public int TargetIndex(Target t) => Targets.IndexOf(t);

    /// <summary>damon_add_target.</summary>
    public void AddTarget(Target t) => Targets.Add(t);

    /// <summary>damon_destroy_target: cleanup through the ops, then drop.</summary>
    public void DestroyTarget(Target t)
    {
        if (Ops is not null && Ops.Has(OpsCallbacks.CleanupTarget))
            Ops.CleanupTarget(t);
        t.ClearRegions();
        Targets.Remove(t);
    }

    /// <summary>Whether any probe has a non-zero weight (attributes-only monitoring, §2.14).</summary>
    public bool ProbesWeighted()
    {
        foreach (var p in Probes)
            if (p.Weight != 0) return true;
        return false;
    }
}
