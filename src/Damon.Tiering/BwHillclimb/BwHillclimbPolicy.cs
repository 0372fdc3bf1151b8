using Damon.Sim.Machine;
using Damon.Tiering.Harness;
using Damon.Tiering.Policy;

namespace Damon.Tiering.BwHillclimb;

/// <summary>
/// A bandwidth hill-climb on the fast:slow interleave ratio, as damo's auto_tier proposal runs it
/// from user space: every <see cref="BwHillclimbParams.SampleUs"/> it samples the application's
/// throughput (accesses per second; what a PMU bandwidth counter would show for this closed-loop
/// load), and every <see cref="BwHillclimbParams.AdjustUs"/> it compares the window's mean with
/// the previous window's: better keeps the direction, worse reverses it, and the slow node's share
/// moves one step. Pages are re-interleaved to the new ratio by their interleave index (as
/// weighted interleaving places them), asynchronously, at a bounded rate. The first step goes
/// toward the slow node, since a fresh all-fast placement has nowhere else to go.
/// </summary>
public sealed class BwHillclimbPolicy(BwHillclimbParams? p = null) : TieringPolicyBase
{
    private InterleaveMover? _mover;
    private ulong _lastAccesses, _nextSampleUs, _nextAdjustUs;
    private readonly List<double> _samples = [];
    private double _lastScore = double.NaN;
    private int _direction = 1;

    public BwHillclimbParams Params { get; } = p ?? new BwHillclimbParams();
    public override string Name => "bw-hillclimb";
    public override ulong TickIntervalUs => 100_000;

    /// <summary>The slow node's share now, in 1/<see cref="BwHillclimbParams.Steps"/>.</summary>
    public uint SlowSteps { get; private set; }

    /// <summary>(time µs, slow steps) at each adjustment, for reports and tests.</summary>
    public List<(ulong AtUs, uint SlowSteps)> Adjustments { get; } = [];

    public override MachineSpec Configure(MachineSpec spec) => spec with { LinuxDefault = false, DemotionEnabled = false };

    protected override void OnAttach()
    {
        _mover = new InterleaveMover([Nodes.Fast, Nodes.Slow]) { BudgetBytes = Params.MoveBytesPerTick };
        _nextSampleUs = Params.SampleUs;
        _nextAdjustUs = Params.AdjustUs;
    }

    protected override void OnTick(ulong nowUs)
    {
        if (nowUs >= _nextSampleUs)
        {
            ulong acc = AppAccesses();
            _samples.Add((acc - _lastAccesses) * 1e6 / Params.SampleUs);
            _lastAccesses = acc;
            _nextSampleUs += Params.SampleUs;
        }
        if (nowUs >= _nextAdjustUs && _samples.Count > 0)
        {
            double score = _samples.Average();
            _samples.Clear();
            if (!double.IsNaN(_lastScore) && score < _lastScore)
                _direction = -_direction;
            _lastScore = score;
            long next = SlowSteps + _direction * (long)Params.StepSize;
            SlowSteps = (uint)Math.Clamp(next, 0, Params.MaxSlowSteps);
            Adjustments.Add((nowUs, SlowSteps));
            _nextAdjustUs += Params.AdjustUs;
        }
        if (SlowSteps > 0 || Adjustments.Count > 0)
            _mover!.Step(Machine, [Params.Steps - SlowSteps, SlowSteps], MigrateAsync);
    }

    private ulong AppAccesses()
    {
        ulong n = 0;
        foreach (var t in Machine.Threads)
            if (t.Process.Name != PrefilledWorkload.ProcessName) n += t.NrAccesses;
        return n;
    }
}
