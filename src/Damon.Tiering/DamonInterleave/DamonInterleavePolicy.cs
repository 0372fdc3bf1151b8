using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Tiering.Policy;
using Damon.Tiering.WeightedInterleave;

namespace Damon.Tiering.DamonInterleave;

/// <summary>
/// DAMON's auto-tuned weighted interleaving in physical address space (7.1–7.2): one paddr context
/// over both nodes, two <c>migrate_hot</c> schemes whose quotas are tuned toward
/// <c>node_eligible_mem_bp</c> goals — one pulls hot memory to the fast node until the fast node
/// holds <see cref="FastBp"/> of the hot (pattern-eligible) bytes, with an address filter that
/// allows only the slow node's range; the other pushes hot memory to the slow node until it holds
/// <see cref="SlowBp"/>, allowed only the fast node's range (the canonical setup names a filter for
/// the first scheme only; the second's keeps its quota off folios already on the slow node, which
/// paddr migration would skip but charge). The split defaults to the nodes' share of the automatic
/// interleave weights (bandwidths 72:26 GB/s give 23:8, 7419:2581 bp); the canonical example is
/// 6000:4000. The temporal tuner runs each scheme at its full quota while its goal is unmet.
/// <para>
/// The two goals are not complementary: each is <see cref="GoalBandBp"/> short of its share
/// (pull toward FastBp − band, push toward SlowBp − band), so between them lies a dead band of
/// 2 × band in which neither scheme runs. With complementary goals (band 0, the canonical setup)
/// one of the two is always unmet by the jitter of which regions count as hot, and every quota
/// reset moves a quota's worth one way or the other: the last session measured every page of the
/// hot set ping-ponging. The dead band between the two goals (2 × GoalBandBp, 500 bp) is wider
/// than one reset's quota moves (4 MiB of a 128 MiB hot set, ~310 bp), so a step that ends a
/// pull's deficit does not start the push.
/// </para>
/// <para>
/// With <c>retune</c> (the <c>damon-interleave</c> policy) a user-space controller also moves the
/// split, as damo would by writing the goals' <c>target_value</c> and committing them: it starts
/// with everything on the fast node (10000:0) and every <see cref="RetuneIntervalUs"/> compares the
/// tiers' mean loaded read latency over that interval (sampled every 100 ms, the quantity Colloid
/// reads from uncore counters); when the fast node is slower by more than 5 % the fast share drops,
/// when it is faster by more than 5 % it rises, by 5000 bp × the relative gap, between 100 and 500
/// bp, within [5000, 10000] (the step's bounds are <see cref="MinStepBp"/> and <see cref="MaxStepBp"/>). Without it (<c>damon-interleave-static</c>) the goals stay at the
/// bandwidth split.
/// </para>
/// </summary>
public sealed class DamonInterleavePolicy(ulong fastBp = 0, ulong slowBp = 0, bool retune = false) : TieringPolicyBase, IEngineTimedPolicy
{
    private double _sumFastNs, _sumSlowNs;
    private int _nrLatencySamples;
    private ulong _nextRetuneUs;

    private DamonContext? _ctx;
    private long _startWorldTicks;

    public override string Name => retune ? "damon-interleave" : "damon-interleave-static";
    public override ulong TickIntervalUs => retune ? 100_000UL : 0;
    public ulong RetuneIntervalUs { get; init; } = 500_000;
    /// <summary>How far short of its share each goal is set (the dead band is twice this).</summary>
    public ulong GoalBandBp { get; init; } = 250;
    public long MinStepBp { get; init; } = 100;
    public long MaxStepBp { get; init; } = 500;
    /// <summary>(time µs, fast bp) at each retune that changed the goals.</summary>
    public List<(ulong AtUs, ulong FastBp)> Retunes { get; } = [];
    public ulong FastBp { get; private set; } = fastBp;
    public ulong SlowBp { get; private set; } = slowBp;
    public Damos? Pull { get; private set; }
    public Damos? Push { get; private set; }

    public MonitoringAttrs Attrs { get; init; } = new() { SampleIntervalUs = 5_000, AggrIntervalUs = 100_000, MinNrRegions = 10, MaxNrRegions = 1000 };
    /// <summary>Per scheme: 4 MiB per 100 ms reset (40 MiB/s): a fifth of the mtier sample's 200 MiB/s, so one reset moves ~3 % of a 128 MiB hot set and the two complementary goals do not overshoot each other.</summary>
    public ulong QuotaSzBytes { get; init; } = 4UL << 20;

    public long RunTicks { get; set; }
    public override long CostTicks => Math.Max(0, RunTicks - (Sim.Runner.WorldTicks - _startWorldTicks));
    public override ulong BackgroundNs => _ctx is null ? 0 : Machine.BackgroundNs(_ctx);

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        if (retune && FastBp == 0 && SlowBp == 0)
        {
            FastBp = 10000;
        }
        else if (FastBp == 0 && SlowBp == 0)
        {
            var w = InterleaveWeights.OfMachine(Machine.Spec);
            FastBp = 10000UL * w[Nodes.Fast] / (w[Nodes.Fast] + w[Nodes.Slow]);
            SlowBp = 10000 - FastBp;
        }
        _ctx = Sim.AddContext(OperationsId.Paddr, Attrs);
        var t = new Target();
        _ctx.AddTarget(t);
        var (fs, fe) = Machine.NodePhysRange(Nodes.Fast);
        var (ss, se) = Machine.NodePhysRange(Nodes.Slow);
        ulong unit = _ctx.AddrUnit;
        DamonCore.SetRegions(t, [new AddrRange(Math.Min(fs, ss) / unit, Math.Max(fe, se) / unit)], _ctx.MinRegionSz);
        Pull = Scheme(Nodes.Fast, FastBp, new AddrRange(ss / unit, se / unit));
        Push = Scheme(Nodes.Slow, SlowBp, new AddrRange(fs / unit, fe / unit));
        _startWorldTicks = Sim.Runner.WorldTicks;
    }

    protected override void OnTick(ulong nowUs)
    {
        _sumFastNs += Machine.Latency.LatencyNs(0, Nodes.Fast, write: false);
        _sumSlowNs += Machine.Latency.LatencyNs(0, Nodes.Slow, write: false);
        _nrLatencySamples++;
        if (nowUs < _nextRetuneUs) return;
        _nextRetuneUs = nowUs + RetuneIntervalUs;
        double lf = _sumFastNs / _nrLatencySamples, ls = _sumSlowNs / _nrLatencySamples;
        (_sumFastNs, _sumSlowNs, _nrLatencySamples) = (0, 0, 0);
        double gap = (lf - ls) / (lf + ls);
        if (Math.Abs(lf - ls) <= 0.05 * Math.Min(lf, ls)) return;
        long step = (long)Math.Clamp(Math.Round(5000 * Math.Abs(gap)), MinStepBp, MaxStepBp);
        long next = Math.Clamp((long)FastBp + (gap > 0 ? -step : step), 5000, 10000);
        if ((ulong)next == FastBp) return;
        FastBp = (ulong)next;
        SlowBp = 10000 - FastBp;
        // sysfs target_value writes plus commit_schemes_quota_goals: read at the next quota reset.
        Pull!.Quota.Goals[0].TargetValue = GoalBp(FastBp);
        Push!.Quota.Goals[0].TargetValue = GoalBp(SlowBp);
        Retunes.Add((nowUs, FastBp));
    }

    /// <summary>A goal's target: the share less the band; a share of 0 stays 0 (nothing to hold there).</summary>
    private ulong GoalBp(ulong shareBp) => shareBp > GoalBandBp ? shareBp - GoalBandBp : 0;

    private Damos Scheme(int nid, ulong bp, AddrRange allowed)
    {
        var hot = new DamosAccessPattern(PageSizes.PageSize, ulong.MaxValue, 1, uint.MaxValue, 0, uint.MaxValue);
        var quota = new DamosQuota
        {
            ResetIntervalMs = 100, Sz = QuotaSzBytes, WeightSz = 0, WeightNrAccesses = 100, WeightAge = 100,
            GoalTuner = DamosQuotaGoalTuner.Temporal, FailChargeNum = 1, FailChargeDenom = 1024,
        };
        var s = new Damos(hot, DamosAction.MigrateHot, 0, quota, new DamosWatermarks(), targetNid: nid);
        DamosCore.AddScheme(_ctx!, s);
        s.Quota.Goals.Add(new DamosQuotaGoal(DamosQuotaGoalMetric.NodeEligibleMemBp, GoalBp(bp)) { Nid = nid });
        s.AddFilter(new DamosFilter(DamosFilterType.Addr, matching: true, allow: true) { AddrRange = allowed });
        return s;
    }
}
