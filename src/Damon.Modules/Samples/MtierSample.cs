using Damon.Core;
using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;

namespace Damon.Modules.Samples;

/// <summary>
/// samples/damon/mtier.c: two paddr contexts started together — one promotes hot pages of node 1
/// to node 0, the other demotes cold pages of node 0 to node 1 — each tuning its quota toward a
/// node 0 utilisation goal.
/// </summary>
public sealed class MtierSample(MtierParams parameters, IMemoryLayout layout, IDamonMetrics? metrics = null, ulong seed = 0)
{
    public const ulong PageSize = DamonContext.DefaultMinRegionSz;
    public const ulong ApplyIntervalUs = 1_000_000;
    /// <summary>200 MiB per second at most, per context.</summary>
    public const ulong QuotaSz = 200UL << 20;

    public MtierParams Params { get; set; } = parameters;
    public IMemoryLayout Layout { get; } = layout;
    public IDamonMetrics? Metrics { get; } = metrics;
    /// <summary>ctxs[0] promotes, ctxs[1] demotes.</summary>
    public IReadOnlyList<Kdamond> Kdamonds { get; private set; } = [];
    public bool IsRunning => Kdamonds.Any(k => !k.Finished);

    /// <summary>Both contexts' fixed attributes (the same as DAMON_STAT's).</summary>
    public static MonitoringAttrs Attrs => ModuleMonitoringAttrs.TunedToward4Percent;

    /// <summary>damon_sample_mtier_build_ctx.</summary>
    public DamonContext BuildContext(bool promote, DamonOperations paddrOps)
    {
        if (paddrOps.Id != OperationsId.Paddr)
            throw new DamonException(Errno.EINVAL, $"damon_sample_mtier: needs the paddr operations set, not {paddrOps.Id.SysfsName()}");
        var p = Params;
        var ctx = new DamonContext(seed + (promote ? 0UL : 1UL)) { Ops = paddrOps, Metrics = Metrics };
        DamonCore.SetAttrs(ctx, Attrs);
        var target = new Target();
        ctx.AddTarget(target);

        int monitoredNid = promote ? 1 : 0;
        AddrRange range;
        if (p.DetectNodeAddresses)
        {
            // nid_to_phys
            if (!Layout.TryGetNodeSpan(monitoredNid, out range))
                throw new ModuleParamException("detect_node_addresses", $"NUMA node {monitoredNid} is not online");
        }
        else
        {
            range = promote ? new AddrRange(p.Node1StartAddr, p.Node1EndAddr) : new AddrRange(p.Node0StartAddr, p.Node0EndAddr);
        }
        // The later fix: fail early on an empty range (unset parameters, memoryless node).
        if (range.Start >= range.End)
            throw new ModuleParamException(p.DetectNodeAddresses ? "detect_node_addresses" : $"node{monitoredNid}_start_addr",
                $"node {monitoredNid} range [{range.Start}, {range.End}) is empty: start must be below end");
        DamonCore.SetRegions(target, [range], ctx.MinRegionSz);

        var pattern = promote
            ? new DamosAccessPattern(PageSize, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue)
            : new DamosAccessPattern(PageSize, ulong.MaxValue, 0, 0, 0, uint.MaxValue);
        var quota = new DamosQuota { ResetIntervalMs = 1000, Sz = QuotaSz, WeightSz = 0, WeightNrAccesses = 100, WeightAge = 100 };
        var scheme = new Damos(pattern, promote ? DamosAction.MigrateHot : DamosAction.MigrateCold, ApplyIntervalUs,
            quota, new DamosWatermarks(), targetNid: promote ? 0 : 1);
        DamosCore.AddScheme(ctx, scheme);
        scheme.Quota.Goals.Add(promote
            ? new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemUsedBp, p.Node0MemUsedBp) { Nid = 0 }
            : new DamosQuotaGoal(DamosQuotaGoalMetric.NodeMemFreeBp, p.Node0MemFreeBp) { Nid = 0 });
        // Young pages only are promoted; young pages are never demoted.
        scheme.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: promote));
        return ctx;
    }

    /// <summary>damon_sample_mtier_start: both contexts, started together and exclusively.</summary>
    public IReadOnlyList<Kdamond> Start(DamonEngine engine)
    {
        if (IsRunning)
            throw new DamonException(Errno.EBUSY, "damon_sample_mtier: already running");
        var ops = engine.Registry.Get(OperationsId.Paddr)
            ?? throw new DamonException(Errno.EINVAL, "damon_sample_mtier: the paddr operations set is not registered");
        var promote = BuildContext(true, ops);
        var demote = BuildContext(false, ops);
        Kdamonds = engine.Start([promote, demote], exclusive: true);
        return Kdamonds;
    }

    public void Stop() => DamonEngine.Stop(Kdamonds);
}
