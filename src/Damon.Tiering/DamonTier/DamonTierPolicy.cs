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
/// Migration is asynchronous (charged to the contexts' background accounts).
/// </summary>
public sealed class DamonTierPolicy(string name, TierParams parameters, bool reclaimDemotion) : TieringPolicyBase, IEngineTimedPolicy
{
    private DamonContext? _promoteCtx, _demoteCtx;
    private long _startWorldTicks;

    /// <summary>
    /// The module's defaults, with its free_mem_rate watermarks opened up (high 1000 ‰, low 0) as
    /// the mtier sample has none: the scaled machine is mostly free memory, which with high =
    /// 200 ‰ would keep both schemes off.
    /// </summary>
    public static TierParams ModuleDefaults { get; } = TierParams.Default with
    {
        Enabled = true,
        Wmarks = new ModuleWatermarks { IntervalUs = 5_000_000, High = 1000, Mid = 999, Low = 0 },
    };

    /// <summary>
    /// The module's defaults with three changes, each against a mechanism measured in
    /// docs/results/tiering.md ("Why the defaults move nothing"), none beyond what DAMOS in 7.2 offers:
    /// the temporal goal tuner (full quota until the goal is met, instead of consist's ramp from one
    /// byte); goals re-evaluated and schemes applied every 100 ms aggregation (quota_sz 20 MiB per
    /// 100 ms: the defaults' 200 MiB/s), so an all-or-nothing tuner does not overshoot for a whole
    /// second; and unapplied bytes (young-filtered, already on the target) charged at 1/1024, so
    /// the quota counts pages that move.
    /// </summary>
    public static TierParams Tuned { get; } = ModuleDefaults with
    {
        GoalTuner = DamosQuotaGoalTuner.Temporal,
        Quota = ModuleDefaults.Quota with { Sz = 20UL << 20, ResetIntervalMs = 100 },
        ApplyIntervalUs = 0,
        FailChargeNum = 1,
        FailChargeDenom = 1024,
    };

    /// <summary>
    /// DAMON tiering as this project recommends it: <see cref="Tuned"/>, with reclaim-based
    /// demotion off (the SK hynix configuration without kswapd as backup), since the demote
    /// scheme keeps free memory above kswapd's high watermark.
    /// </summary>
    public static DamonTierPolicy Recommended() => new("damon-tier", Tuned, reclaimDemotion: false);

    /// <summary>The module at its defaults, reclaim-based demotion on as the kernel's backup.</summary>
    public static DamonTierPolicy Defaults() => new("damon-tier-defaults", ModuleDefaults, reclaimDemotion: true);

    public TierParams Params { get; } = parameters;
    /// <summary>Whether kswapd runs and demotes (numa/demotion_enabled) beside the module.</summary>
    public bool ReclaimDemotion { get; } = reclaimDemotion;

    public override string Name { get; } = name;
    public Damos? Promote { get; private set; }
    public Damos? Demote { get; private set; }

    /// <summary>Engine CPU time: the whole run minus the workload's share, set by the harness.</summary>
    public long RunTicks { get; set; }
    public override long CostTicks => Math.Max(0, RunTicks - (Sim.Runner.WorldTicks - _startWorldTicks));

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = ReclaimDemotion, DemotionEnabled = ReclaimDemotion };

    protected override void OnAttach()
    {
        var staged = new TierModule(Params, SimMemoryLayout.Of(Machine), Machine, Machine.Seed).BuildParamContext(new SimPaddrOperations(Machine));
        Promote = staged.Schemes.Single(s => s.Action == DamosAction.MigrateHot);
        Demote = staged.Schemes.Single(s => s.Action == DamosAction.MigrateCold);
        _promoteCtx = NodeContexts.Add(Sim, staged.Attrs, Params.DemoteTargetNid, Promote);
        _demoteCtx = NodeContexts.Add(Sim, staged.Attrs, Params.PromoteTargetNid, Demote);
        _startWorldTicks = Sim.Runner.WorldTicks;
    }

    public override ulong BackgroundNs =>
        (_promoteCtx is null ? 0 : Machine.BackgroundNs(_promoteCtx)) + (_demoteCtx is null ? 0 : Machine.BackgroundNs(_demoteCtx));
}
