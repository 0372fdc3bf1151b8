using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Modules.Common;
using Damon.Modules.Tier;
using Damon.Sim.Machine;
using Damon.Sim.Operations;
using Damon.Tiering.Policy;

namespace Damon.Tiering.DamonTier;

/// <summary>
/// DAMON-based tiering: the TIER module's (src/Damon.Modules/Tier, damon-spec.md §4.5) attributes
/// and two schemes, laid out as the mtier sample does (§4.4): the promote scheme in a context
/// monitoring the slow node's physical range, the demote scheme in one monitoring the fast node's,
/// each a paddr kdamond in simulated time. One context over "the biggest System RAM" would see only
/// one of the two nodes here; one over both would also cover the hole between them and the slow
/// node's free frames, the oldest never-accessed regions, on which the demote quota would be spent.
/// The module's free_mem_rate watermarks (high 200 ‰) are opened up (high 1000, low 0), as the
/// mtier sample has none: the scaled machine is mostly free memory, which would keep both schemes
/// off. Migration is asynchronous (charged to the contexts' background accounts); reclaim-based
/// demotion stays on as the kernel's backup (demotion_enabled).
/// </summary>
public sealed class DamonTierPolicy(TierParams? p = null) : TieringPolicyBase
{
    private DamonContext? _promoteCtx, _demoteCtx;
    private long _startWorldTicks;

    public TierParams Params { get; } = p ?? TierParams.Default with
    {
        Enabled = true,
        Wmarks = new ModuleWatermarks { IntervalUs = 5_000_000, High = 1000, Mid = 999, Low = 0 },
    };

    public override string Name => "damon-tier";
    public Damos? Promote { get; private set; }
    public Damos? Demote { get; private set; }

    /// <summary>Engine CPU time: the whole run minus the workload's share, set by the harness.</summary>
    public long RunTicks { get; set; }
    public override long CostTicks => Math.Max(0, RunTicks - (Sim.Runner.WorldTicks - _startWorldTicks));

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = true, DemotionEnabled = true };

    protected override void OnAttach()
    {
        var nodes = Enumerable.Range(0, Machine.NrNodes).ToDictionary(n => n, n => Range(Machine.NodePhysRange(n)));
        var layout = new StaticMemoryLayout([.. nodes.Values.OrderBy(r => r.Start)], nodes);
        var staged = new TierModule(Params, layout, Machine, Machine.Seed).BuildParamContext(new SimPaddrOperations(Machine));
        Promote = staged.Schemes.Single(s => s.Action == DamosAction.MigrateHot);
        Demote = staged.Schemes.Single(s => s.Action == DamosAction.MigrateCold);
        _promoteCtx = NodeContext(staged.Attrs, Params.DemoteTargetNid, Promote);
        _demoteCtx = NodeContext(staged.Attrs, Params.PromoteTargetNid, Demote);
        _startWorldTicks = Sim.Runner.WorldTicks;
    }

    private static AddrRange Range((ulong Start, ulong End) r) => new(r.Start, r.End);

    /// <summary>A paddr context with one target whose one region is node <paramref name="nid"/>'s memory.</summary>
    private DamonContext NodeContext(MonitoringAttrs attrs, int nid, Damos scheme)
    {
        var ctx = Sim.AddContext(OperationsId.Paddr, attrs);
        var t = new Target();
        ctx.AddTarget(t);
        var (start, end) = Machine.NodePhysRange(nid);
        DamonCore.SetRegions(t, [new AddrRange(start / ctx.AddrUnit, end / ctx.AddrUnit)], ctx.MinRegionSz);
        ctx.Schemes.Add(scheme);
        return ctx;
    }

    public override ulong BackgroundNs =>
        (_promoteCtx is null ? 0 : Machine.BackgroundNs(_promoteCtx)) + (_demoteCtx is null ? 0 : Machine.BackgroundNs(_demoteCtx));
}
