using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Sampling;
using Damon.Sim.Bench;
using Damon.Sim.Machine;
using Damon.Tiering.NumaBalancing;
using Damon.Tiering.Policy;

namespace Damon.Tiering.Interference;

/// <summary>
/// NUMA-balancing tiering and a DAMON context on the same process, their PROT_NONE marks one
/// protection (<see cref="SimMachine.ProtNoneRouter"/>), faults routed by a <see cref="FaultSharing"/>
/// policy. Under the isolation policies NUMA balancing is active first and the users swap every
/// <see cref="FaultInterferenceOptions.SwitchPeriodUs"/>: an inactive NUMA balancing does not scan
/// (task_numa_work does not run), an inactive DAMON protects nothing (its kdamond keeps running and
/// sees no access), and run-time isolation removes every mark at the switch.
/// </summary>
public sealed class FaultSharingPolicy(
    string name, FaultSharing sharing, bool numa, DamonSampling sampling,
    FaultInterferenceOptions options, int pid, (ulong Start, ulong End) hotRange) : TieringPolicyBase
{
    private NumaBalancingPolicy? _numa;
    private DamonContext? _ctx;
    private ulong _hotTrue, _hotPredicted, _hotCorrect, _regionSum, _nrSnapshots;

    public override string Name { get; } = name;
    public FaultSharing Sharing { get; } = sharing;
    public override ulong TickIntervalUs => 10_000;
    public FaultSharingRouter Router { get; private set; } = null!;
    public NumaBalancingPolicy? Numa => _numa;
    public DamonContext? Context => _ctx;

    public int NrSwitches { get; private set; }
    public ulong MarksRemoved { get; private set; }
    public ulong SwitchCostNs { get; private set; }

    /// <summary>Hot-set recall over DAMON's snapshots after the warm-up (0 without DAMON).</summary>
    public double Recall => _hotTrue == 0 ? 0 : (double)_hotCorrect / _hotTrue;
    public double Precision => _hotPredicted == 0 ? 0 : (double)_hotCorrect / _hotPredicted;
    public double MeanNrRegions => _nrSnapshots == 0 ? 0 : (double)_regionSum / _nrSnapshots;

    public override MachineSpec Configure(MachineSpec spec) => MachineFor(spec, options);

    /// <summary>The machine every run of the study uses, DAMON-only ones too: NUMA balancing's (kswapd demotion on).</summary>
    public static MachineSpec MachineFor(MachineSpec spec, FaultInterferenceOptions options) =>
        new NumaBalancingPolicy(options.Numa).Configure(spec);

    public override ulong BackgroundNs => OwnBackgroundNs + (_numa?.BackgroundNs ?? 0);

    protected override void OnAttach()
    {
        if (numa)
        {
            _numa = new NumaBalancingPolicy(options.Numa);
            _numa.Attach(Sim, Nodes);
        }
        if (sampling != DamonSampling.None)
        {
            var attrs = sampling == DamonSampling.PageFault
                ? options.Attrs with { SampleControl = new DamonSampleControl { PrimitivesEnabled = new(PageTable: false, PageFault: true) } }
                : options.Attrs;
            _ctx = Sim.AddContext(OperationsId.Vaddr, attrs);
            var target = Sim.AddVaddrTarget(_ctx, pid);
            Sim.Snapshot += (c, nowUs) =>
            {
                if (c != _ctx || nowUs < options.WarmupUs) return;
                var s = AccuracyBench.ScoreAgainstRange(target, hotRange.Start, hotRange.End, options.HotMinNrAccesses);
                _hotTrue += s.TrueHotBytes;
                _hotPredicted += s.PredictedHotBytes;
                _hotCorrect += s.CorrectBytes;
                _regionSum += (ulong)target.NrRegions;
                _nrSnapshots++;
            };
        }
        Machine.DamonFaults.ClearStaleMarks = options.ClearStaleMarks;
        Router = new FaultSharingRouter(Sharing, Machine, _numa, sampling == DamonSampling.PageFault ? Machine.DamonFaults : null);
        Machine.ProtNoneRouter = Router;
        if (Sharing.IsIsolation())
            Machine.DamonFaults.Protecting = false;
    }

    protected override void OnTick(ulong nowUs)
    {
        if (Sharing.IsIsolation())
        {
            var side = nowUs / options.SwitchPeriodUs % 2 == 0 ? FaultSide.Numa : FaultSide.Damon;
            if (side != Router.Active)
                Switch(side);
        }
        if (_numa is not null && (!Sharing.IsIsolation() || Router.Active == FaultSide.Numa))
            _numa.Tick(nowUs);
    }

    private void Switch(FaultSide side)
    {
        NrSwitches++;
        if (Sharing == FaultSharing.RuntimeIsolation)
            RemoveMarks();
        Router.Active = side;
        Machine.DamonFaults.Protecting = side == FaultSide.Damon;
    }

    /// <summary>
    /// change_protection over the whole process back to its VMAs' protection: every PTE is walked
    /// (the marks of the outgoing user are all there is; the PTE cannot say whose they are).
    /// </summary>
    private void RemoveMarks()
    {
        ulong walked = 0;
        foreach (int nid in new[] { Nodes.Fast, Nodes.Slow })
            foreach (uint head in FramePages.MappedFolios(Machine, nid))
            {
                walked += Machine.Frames.FolioNrPages(head);
                if (Machine.ClearProtNone(head)) MarksRemoved++;
            }
        ulong cost = walked * SimMachine.ScanNsPerPage;
        SwitchCostNs += cost;
        OwnBackgroundNs += cost;
    }
}
