using Damon.Core.Monitoring;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Tiering.Policy;

namespace Damon.Tiering.DamonAuto;

/// <summary>
/// DAMON-based tiering with no knob to turn (issue 12, part 5). The TIER module's two schemes in
/// mtier's layout (a migrate_hot scheme in a paddr context over the slow node, a migrate_cold
/// scheme in one over the fast node, young filters on both), whose access-pattern thresholds and
/// size quotas are chosen at every aggregation by <see cref="AutoController"/> from the two
/// contexts' heat histograms and the fast node's free memory, as a user-space tuner would commit
/// them (damon_call at the damon_aggregated point). Per direction, DAMOS's own time quota caps the
/// migration work (<see cref="MigrationCpuShare"/> of a CPU) from the throughput it measures, and
/// the fail charge ratio makes the size quota count moved bytes. What goes beyond the kernel is in
/// docs/results/tiering.md ("damon-auto").
/// </summary>
public sealed class DamonAutoPolicy : TieringPolicyBase, IEngineTimedPolicy
{
    /// <summary>Sampling and aggregation of both contexts: DAMON's defaults (5 ms, 100 ms; 10..1000 regions).</summary>
    public static MonitoringAttrs Attrs { get; } = MonitoringAttrs.Default;

    /// <summary>
    /// The share of one CPU each direction's migrations may use, as DAMOS's time quota
    /// (quota_ms per quota_reset_interval_ms): the quota learns the copy throughput and converts.
    /// </summary>
    public const double MigrationCpuShare = 0.2;

    private DamonContext? _promoteCtx, _demoteCtx;
    private HeatHistogram? _slowHeat, _slowWindow, _fastHeat;
    private long _startWorldTicks;
    private uint _minDemoteAge;

    public override string Name => "damon-auto";
    public Damos? Promote { get; private set; }
    public Damos? Demote { get; private set; }
    /// <summary>The last decision made (after the first aggregation); the seed before.</summary>
    public AutoDecision Last { get; private set; }
    /// <summary>Decisions made so far (one per promote-context aggregation).</summary>
    public ulong NrDecisions { get; private set; }

    public long RunTicks { private get; set; }
    public override long CostTicks => Math.Max(0, RunTicks - (Sim.Runner.WorldTicks - _startWorldTicks));

    /// <summary>No kswapd demotion beside it: the demote scheme keeps the reserve.</summary>
    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    /// <summary>TIER's scheme shape (damon_tier_new_scheme) with the tuned fields left for the controller.</summary>
    private static Damos NewScheme(DamosAction action, DamosAccessPattern pattern, int targetNid, ulong aggrUs)
    {
        ulong resetMs = Math.Max(aggrUs / 1000, 1);
        var quota = new DamosQuota
        {
            Ms = Math.Max((ulong)(resetMs * MigrationCpuShare), 1),
            Sz = 1,
            ResetIntervalMs = resetMs,
            FailChargeNum = 1,
            FailChargeDenom = 1024,
            WeightSz = 0,
            WeightNrAccesses = 100,
            WeightAge = 100,
        };
        var s = new Damos(pattern, action, applyIntervalUs: 0, quota, wmarks: null, targetNid);
        bool promote = action == DamosAction.MigrateHot;
        s.AddFilter(new DamosFilter(DamosFilterType.Young, matching: true, allow: promote));
        return s;
    }

    protected override void OnAttach()
    {
        uint samples = (uint)(Attrs.AggrIntervalUs / Attrs.SampleIntervalUs);
        _minDemoteAge = AutoController.MinDemoteAge(samples);
        Promote = NewScheme(DamosAction.MigrateHot, PromotePattern(1), Nodes.Fast, Attrs.AggrIntervalUs);
        Demote = NewScheme(DamosAction.MigrateCold, DemotePattern(0), Nodes.Slow, Attrs.AggrIntervalUs);
        _promoteCtx = NodeContexts.Add(Sim, Attrs, Nodes.Slow, Promote);
        _demoteCtx = NodeContexts.Add(Sim, Attrs, Nodes.Fast, Demote);
        _slowHeat = new HeatHistogram(samples);
        _slowWindow = new HeatHistogram(samples);
        _fastHeat = new HeatHistogram(samples);

        // Seed: before any window closes, the room above the fast node's reserve is the whole
        // promotion quota (the gap to the goal), so the first aggregation already moves pages.
        Machine.TryGetNodeMem(Nodes.Fast, out ulong total, out ulong free);
        ulong reserve = total * AutoController.ReserveBp / 10000;
        Last = new AutoDecision(1, free > reserve ? free - reserve : 0, 0, 0);
        Apply(Last);

        int slow = Nodes.Slow, fast = Nodes.Fast;
        _promoteCtx.Aggregated += c =>
        {
            _slowWindow.Fill(c, r => Machine.AllocatedBytesOnNode(r.Start * c.AddrUnit, r.End * c.AddrUnit, slow) / c.AddrUnit);
            _slowHeat.Blend(_slowWindow);
            Decide();
        };
        // Only what the demote scheme's min_age lets it act on is demotable.
        _demoteCtx.Aggregated += c => _fastHeat.Fill(c, r => Machine.AllocatedBytesOnNode(r.Start * c.AddrUnit, r.End * c.AddrUnit, fast) / c.AddrUnit,
            _minDemoteAge);
        _startWorldTicks = Sim.Runner.WorldTicks;
    }

    private static DamosAccessPattern PromotePattern(uint minNrAccesses) =>
        new(4096, ulong.MaxValue, minNrAccesses, uint.MaxValue, 0, uint.MaxValue);

    private DamosAccessPattern DemotePattern(uint maxNrAccesses) =>
        new(4096, ulong.MaxValue, 0, maxNrAccesses, _minDemoteAge, uint.MaxValue);

    private void Decide()
    {
        Machine.TryGetNodeMem(Nodes.Fast, out ulong total, out ulong free);
        Last = AutoController.Decide(_slowHeat!, _promoteCtx!.Attrs.SampleIntervalUs, _fastHeat!, _demoteCtx!.Attrs.SampleIntervalUs,
            free, total, YoungShareBp(Promote!.Stat));
        NrDecisions++;
        Apply(Last);
    }

    /// <summary>
    /// Of the bytes the promote scheme tried so far, the share its young filter passed
    /// (sz_ops_filter_passed / sz_tried), whether or not the fast node had room for them: how much
    /// of a hot region's bytes promotion would move. 10000 before any try; at least 1 %, so one
    /// run of unaccessed tries cannot shut promotion off for good.
    /// </summary>
    public static ulong YoungShareBp(DamosStat st) =>
        st.SzTried == 0 ? 10000 : Math.Clamp(st.SzOpsFilterPassed * 10000 / st.SzTried, 100, 10000);

    /// <summary>Commit a decision: size quota 1 byte (less than a region: nothing) when a direction has nothing to do.</summary>
    private void Apply(AutoDecision d)
    {
        Promote!.Pattern = PromotePattern(d.PromoteMinNrAccesses);
        Promote.Quota.Sz = Math.Max(d.PromoteBytes, 1);
        Demote!.Pattern = DemotePattern(d.DemoteMaxNrAccesses);
        Demote.Quota.Sz = Math.Max(d.DemoteBytes, 1);
    }

    public override ulong BackgroundNs =>
        (_promoteCtx is null ? 0 : Machine.BackgroundNs(_promoteCtx)) + (_demoteCtx is null ? 0 : Machine.BackgroundNs(_demoteCtx));
}
