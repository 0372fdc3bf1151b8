using Damon.Core.Monitoring;
using Damon.Core.Sampling;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Tiering.Policy;
using Damon.Tiering.ReportUseCases;

namespace Damon.Tiering.NumaTpp;

/// <summary>
/// NUMA-TPP-DAMON (docs/numa-tpp.md): memory moves toward whoever uses it. Accessors are the
/// machine's sockets (<see cref="Accessor.PerSocket"/>); every (source node, accessor) pair whose
/// source is not the accessor's own node is a <see cref="PromotionPath"/>, and each path is one
/// paddr context over the source node's physical range with the access-reporting RFC's page_fault
/// primitive and one allow-cpumask sample filter of the accessor's CPUs (damon-spec §5: a report
/// from another CPU is dropped before folding), whose one DAMOS migrate_hot scheme targets the
/// accessor's node. So a region of CXL memory that socket 0's CPUs use lands on node 0 and one
/// socket 1's CPUs use on node 1. Sample filters are per context in the RFC
/// (monitoring_attrs/sample/filters), hence one context per path and not one scheme per path.
/// Source nodes are the CPU-less ones (CXL) and, with <see cref="NumaTppParams.DramPaths"/>, the
/// other sockets' DRAM nodes too. With <see cref="NumaTppParams.Demote"/>, each socket's DRAM node
/// also has a demotion context: no sample filter (every accessor's report counts), one migrate_cold
/// to the node's demotion target (CXL) for memory no accessor touched for a while.
/// </summary>
public class NumaTppPolicy(string name, NumaTppParams parameters) : TieringPolicyBase, IEngineTimedPolicy, Harness.IMoverNames
{
    private readonly List<DamonContext> _contexts = [];
    private readonly List<DamonContext> _demoteContexts = [];
    private readonly List<int> _demoteNodes = [];
    private long _startWorldTicks;

    public NumaTppPolicy() : this("numa-tpp", new NumaTppParams()) { }

    public override string Name { get; } = name;
    public NumaTppParams Params { get; } = parameters;
    public IReadOnlyList<PromotionPath> Paths { get; private set; } = [];
    /// <summary>The path contexts, in <see cref="Paths"/> order.</summary>
    public IReadOnlyList<DamonContext> Contexts => _contexts;
    /// <summary>The demotion contexts, one per socket DRAM node with a demotion target, in node order.</summary>
    public IReadOnlyList<DamonContext> DemoteContexts => _demoteContexts;

    public long RunTicks { get; set; }
    public override long CostTicks => Math.Max(0, RunTicks - (Sim.Runner.WorldTicks - _startWorldTicks));
    public override ulong BackgroundNs => OwnBackgroundNs + _contexts.Concat(_demoteContexts).Aggregate(0UL, (s, c) => s + Machine.BackgroundNs(c));

    /// <summary>
    /// The kernel's reclaim demotion stays off: demotion to CXL is the policy's own migrate_cold
    /// contexts (<see cref="NumaTppParams.Demote"/>), so every move is one the policy chose.
    /// </summary>
    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    /// <summary>The paths on <paramref name="spec"/>: (source, accessor) for every source node other than the accessor's own.</summary>
    public static IReadOnlyList<PromotionPath> PathsOf(MachineSpec spec, bool dramPaths)
    {
        var accessors = Accessor.PerSocket(spec);
        var socketNodes = spec.Sockets.Select(s => s.Node).ToHashSet();
        var sources = spec.Nodes.Select(n => n.Id).Where(n => dramPaths || !socketNodes.Contains(n));
        return [.. from src in sources from a in accessors where a.Node != src select new PromotionPath(src, a)];
    }

    protected override void OnAttach()
    {
        if (NumaTppCatalog.CannotRunOn(NumaTppCatalog.NumaTpp, Machine.Spec) is { } why)
            throw new ArgumentException($"{Name}: {why}");
        // Only the current sample's folios may fault (docs/access-reports.md): a mark left on a
        // region another accessor uses would otherwise count that region's next access, any
        // accessor's, for whichever context set it.
        Machine.DamonFaults.ClearStaleMarks = Params.ClearStaleMarks;
        Paths = PathsOf(Machine.Spec, Params.DramPaths);
        foreach (var path in Paths)
            _contexts.Add(AddPath(path));
        if (Params.Demote)
            foreach (int nid in Machine.Spec.Sockets.Select(s => s.Node).Distinct().Order())
                if (Machine.DemotionTarget(nid) is int dst and >= 0)
                {
                    _demoteContexts.Add(AddDemotion(nid, dst));
                    _demoteNodes.Add(nid);
                }
        _startWorldTicks = Sim.Runner.WorldTicks;
    }

    private DamonContext AddPath(PromotionPath path)
    {
        var filter = new DamonSampleFilter(DamonSampleFilterType.Cpumask, Matching: true, Allow: true)
        {
            Cpumask = DamonCpumask.Of(path.Accessor.Cpus),
        };
        var attrs = Params.Attrs with { SampleControl = PageFaultAttrs.With(filter).SampleControl };
        var quota = Params.QuotaBytes == 0 ? null : new DamosQuota { Sz = Params.QuotaBytes, ResetIntervalMs = Params.QuotaResetIntervalMs };
        var scheme = new Damos(
            DamosAccessPattern.Any with { MinNrAccesses = Params.HotMinNrAccesses, MinAgeRegion = Params.HotMinAge },
            DamosAction.MigrateHot, quota: quota, targetNid: path.DestinationNode);
        return NodeContexts.Add(Sim, attrs, path.SourceNode, scheme);
    }

    /// <summary>
    /// The demote half (mtier's migrate_cold per node, damon-spec §4.4): the DRAM node's memory no
    /// CPU accessed for <see cref="NumaTppParams.DemoteMinAge"/> aggregations goes to the slower
    /// node. Cold to every accessor needs no accessor, so this context keeps mainline's page_table
    /// primitive (accessed bits: any CPU's access counts) and takes no fault; with the page_fault
    /// primitive and no filter it would fault on every hot DRAM region's sample (measured: 18x the
    /// paths' faults). The age is far above promotion's, so a region is not sent back and forth.
    /// </summary>
    private DamonContext AddDemotion(int nid, int dst)
    {
        var attrs = Params.Attrs;
        var quota = Params.DemoteQuotaBytes == 0 ? null : new DamosQuota { Sz = Params.DemoteQuotaBytes, ResetIntervalMs = Params.QuotaResetIntervalMs };
        var scheme = new Damos(
            DamosAccessPattern.Any with { MaxNrAccesses = 0, MinAgeRegion = Params.DemoteMinAge },
            DamosAction.MigrateCold, quota: quota, targetNid: dst);
        // DAMON_TIER's demote filter (damon-spec §4.5): a region cold on average can still hold a
        // few pages in use (the edge of a hot range); a page accessed since the last check stays.
        scheme.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: false));
        return NodeContexts.Add(Sim, attrs, nid, scheme);
    }

    /// <summary>"damon:SRC->ACCESSOR" for a promotion path's context, "damon:NODE->cold" for a demotion context.</summary>
    public string? MoverName(object by)
    {
        if (by is not DamonContext ctx) return null;
        int i = _contexts.IndexOf(ctx);
        if (i >= 0) return $"damon:{Paths[i].SourceNode}->{Paths[i].Accessor.Name}";
        int d = _demoteContexts.IndexOf(ctx);
        return d >= 0 ? $"damon:{_demoteNodes[d]}->cold" : null;
    }
}
